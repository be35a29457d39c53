package io.plinth.api;

import io.plinth.definition.Action;
import io.plinth.definition.FieldDefinition;
import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.flags.FeatureFlags;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import io.plinth.lifecycle.TransitionRequest;
import io.plinth.lifecycle.TransitionRules;
import io.plinth.query.Include;
import io.plinth.query.IncludeParser;
import io.plinth.query.ListQuery;
import io.plinth.query.ListQueryParser;
import io.plinth.query.Page;
import io.plinth.query.RecordChange;
import io.plinth.query.RecordStore;
import io.plinth.query.RowScope;
import io.plinth.query.VersionCheck;
import io.plinth.record.RecordPatch;
import io.plinth.record.RecordReader;
import io.plinth.record.RecordRenderer;
import io.plinth.record.RecordValues;
import io.plinth.record.StoredRecord;
import io.plinth.security.AccessPolicy;
import io.plinth.security.CurrentPrincipal;
import io.plinth.security.ResourceAccess;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resource endpoints, for every declared resource: the design template's section 5.1 ({@code POST} and
 * {@code GET /{id}}) and beyond it lists, merge-patch updates, deletes, lifecycle transitions and bulk writes.
 */
@Hidden
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class ResourceController {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private final ResourceCatalog catalog;
    private final RecordStore store;
    private final RequestBodies bodies;
    private final IdempotentRequests idempotent;
    private final ListQueryParser listParser;
    private final IncludeParser includeParser;
    private final int maxBulk;
    private final FeatureFlags flags;
    private final AccessPolicy policy;
    private final CurrentPrincipal current;
    private final RecordReader reader = new RecordReader();
    private final RecordRenderer renderer = new RecordRenderer();

    ResourceController(ResourceCatalog catalog, RecordStore store, RequestBodies bodies, IdempotentRequests idempotent,
                       ApiProperties properties, FeatureFlags flags, AccessPolicy policy, CurrentPrincipal current) {
        this.catalog = catalog;
        this.policy = policy;
        this.current = current;
        this.flags = flags;
        this.store = store;
        this.bodies = bodies;
        this.idempotent = idempotent;
        this.includeParser = new IncludeParser(catalog, properties.maxIncludeDepth());
        this.listParser = new ListQueryParser(properties.defaultLimit(), properties.maxLimit(), includeParser);
        this.maxBulk = properties.maxBulk();
    }

    @GetMapping("/{resource}")
    ObjectNode list(@PathVariable("resource") String path, HttpServletRequest request) {
        ResourceDefinition resource = resource(path);
        ResourceAccess access = allow(resource, Action.READ);
        ListQuery parsed = listParser.parse(resource, request.getParameterMap());
        parsed.filters().forEach(filter -> allowReadAlong(resource, filter.via(), filter.field()));
        parsed.sort().forEach(key -> allowReadAlong(resource, key.via(), key.field()));
        ListQuery query = new ListQuery(parsed.filters(), parsed.sort(), parsed.limit(), parsed.after(),
                visible(access, resource, parsed.fields()), parsed.count(), allowIncludes(parsed.includes()), rowScope());
        Page page = store.list(resource, query);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        page.records().forEach(record -> data.add(renderer.render(resource, record, query.fields())));
        ObjectNode pageInfo = body.putObject("page");
        pageInfo.put("limit", query.limit());
        pageInfo.put("nextCursor", page.nextCursor());
        if (page.total() != null) {
            pageInfo.put("total", page.total());
            pageInfo.put("totalIsEstimate", page.totalEstimated());
        }
        return body;
    }

    @PostMapping(path = "/{resource}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    ResponseEntity<ObjectNode> create(@PathVariable("resource") String path,
                                      @RequestParam(name = "onConflict", required = false) String onConflict,
                                      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
                                      HttpServletRequest request) {
        ResourceDefinition resource = writable(path);
        ResourceAccess access = allow(resource, Action.CREATE);
        if (onConflict != null) {
            allowUpsert(resource);
        }
        byte[] body = bodies.read(request);
        return idempotent.run(request, key, body, () -> {
            JsonNode object = reader.parseObject(body);
            policy.checkWritable(access, object.propertyNames());
            RecordValues values = reader.readForCreate(resource, object);
            if (onConflict != null) {
                String unique = uniqueKey(resource, onConflict);
                StoredRecord stored = store.upsertAll(resource, List.of(values), unique).getFirst();
                return respond(stored.version() == 1 ? HttpStatus.CREATED : HttpStatus.OK, resource, stored, access);
            }
            return respond(HttpStatus.CREATED, resource, store.insert(resource, values), access);
        });
    }

    @PostMapping(path = "/{resource}/_bulk", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    ResponseEntity<ObjectNode> bulk(@PathVariable("resource") String path,
                                    @RequestParam(name = "onConflict", required = false) String onConflict,
                                    @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
                                    HttpServletRequest request) {
        ResourceDefinition resource = writable(path);
        ResourceAccess access = allow(resource, Action.CREATE);
        if (onConflict != null) {
            allowUpsert(resource);
        }
        byte[] body = bodies.read(request);
        return idempotent.run(request, key, body, () -> {
            List<JsonNode> elements = reader.parseArray(body);
            Set<String> written = new HashSet<>();
            elements.stream().filter(JsonNode::isObject).forEach(element -> written.addAll(element.propertyNames()));
            policy.checkWritable(access, written);
            if (elements.size() > maxBulk) {
                throw new PlinthException(ErrorCode.PAYLOAD_TOO_LARGE, "A bulk request may carry at most " + maxBulk
                        + " records; this one has " + elements.size() + ".");
            }
            List<RecordValues> values = reader.readForBulkCreate(resource, elements);
            List<StoredRecord> stored;
            HttpStatus status;
            if (onConflict != null) {
                String unique = uniqueKey(resource, onConflict);
                checkNoRepeatedKeys(values, unique);
                stored = store.upsertAll(resource, values, unique);
                status = HttpStatus.OK;
            } else {
                stored = store.insertAll(resource, values);
                status = HttpStatus.CREATED;
            }
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            ArrayNode data = response.putArray("data");
            Set<String> visible = visible(access, resource, null);
            stored.forEach(record -> data.add(renderer.render(resource, record, visible)));
            return ResponseEntity.status(status).body(response);
        });
    }

    @GetMapping("/{resource}/{id}")
    ResponseEntity<ObjectNode> get(@PathVariable("resource") String path, @PathVariable("id") String id,
                                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                   @RequestParam(name = "include", required = false) String include,
                                   HttpServletRequest request) {
        ResourceDefinition resource = resource(path);
        ResourceAccess access = allow(resource, Action.READ);
        List<Include> includes = allowIncludes(includeParser.parse(resource, include, request.getParameterMap()));
        StoredRecord record = store.findById(resource, id(resource, id), includes, rowScope())
                .orElseThrow(() -> notFound(resource, id));
        if (EntityTags.noneMatchHits(ifNoneMatch, record.version())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(EntityTags.of(record.version())).build();
        }
        return respond(HttpStatus.OK, resource, record, access);
    }

    @PatchMapping(path = "/{resource}/{id}", consumes = {MERGE_PATCH_JSON, MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<ObjectNode> patch(@PathVariable("resource") String path, @PathVariable("id") String id,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     HttpServletRequest request) {
        ResourceDefinition resource = writable(path);
        ResourceAccess access = allow(resource, Action.UPDATE);
        UUID uuid = id(resource, id);
        VersionCheck check = versionCheck(resource, ifMatch);
        JsonNode object = reader.parseObject(bodies.read(request));
        policy.checkWritable(access, object.propertyNames());
        RecordPatch patch = reader.readForPatch(resource, object);
        StoredRecord updated = store.update(resource, uuid, check, current -> {
            checkOwned(resource, access, current);
            TransitionRules.checkEditable(resource, current);
            return RecordChange.of(reader.applyPatch(resource, patch, current));
        });
        return respond(HttpStatus.OK, resource, updated, access);
    }

    @DeleteMapping("/{resource}/{id}")
    ResponseEntity<Void> delete(@PathVariable("resource") String path, @PathVariable("id") String id,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ResourceDefinition resource = writable(path);
        allow(resource, Action.DELETE);
        store.delete(resource, id(resource, id), versionCheck(resource, ifMatch), rowScope());
        return ResponseEntity.noContent().build();
    }

    @PostMapping(path = "/{resource}/{id}/transitions", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    ResponseEntity<ObjectNode> transition(@PathVariable("resource") String path, @PathVariable("id") String id,
                                          @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                          @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key,
                                          HttpServletRequest request) {
        ResourceDefinition resource = writable(path);
        ResourceAccess access = allow(resource, Action.TRANSITION);
        UUID uuid = id(resource, id);
        VersionCheck check = versionCheck(resource, ifMatch);
        byte[] body = bodies.read(request);
        return idempotent.run(request, key, body, () -> {
            TransitionRequest transition = TransitionRequest.read(reader.parseObject(body));
            if (!access.allowsTransitionTo(transition.to())) {
                throw new PlinthException(ErrorCode.FORBIDDEN, "Your roles may not move " + resource.nameWithArticle()
                        + " to " + printable(transition.to()) + ".");
            }
            StoredRecord moved = store.update(resource, uuid, check, current -> {
                checkOwned(resource, access, current);
                TransitionRules.checkTransition(resource, current, transition.to());
                return RecordChange.transition(transition.to(), transition.reason());
            });
            return respond(HttpStatus.OK, resource, moved, access);
        });
    }

    private ResourceAccess allow(ResourceDefinition resource, Action action) {
        return policy.require(current.get(), resource, action);
    }

    /** An upsert may change any record with the key, so it needs create and update on every row. */
    private void allowUpsert(ResourceDefinition resource) {
        if (allow(resource, Action.UPDATE).ownRowsOnly()) {
            throw new PlinthException(ErrorCode.FORBIDDEN, "Your roles may change only your own " + resource.name()
                    + " records, so they may not upsert (onConflict), which may change anyone's.");
        }
    }

    /** The rows each resource is limited to for this caller (roles with {@code rows: own}). */
    private RowScope rowScope() {
        java.util.Map<String, String> owners = policy.ownRowsOf(current.get());
        return owners.isEmpty() ? RowScope.ALL : new RowScope(owners);
    }

    /** A record another principal created is, for a caller limited to its own rows, not there at all. */
    private static void checkOwned(ResourceDefinition resource, ResourceAccess access, StoredRecord record) {
        String owner = access.owner();
        if (owner != null && !owner.equals(record.createdBy())) {
            throw notFound(resource, record.id().toString());
        }
    }

    /**
     * Embedding related records reads them: the caller must be allowed to read each included resource, and sees only
     * the fields its roles may read there.
     */
    private List<Include> allowIncludes(List<Include> includes) {
        List<Include> allowed = new java.util.ArrayList<>();
        for (Include include : includes) {
            ResourceAccess access = allow(include.target(), Action.READ);
            allowed.add(new Include(include.name(), include.field(), include.relation(), include.target(),
                    allowIncludes(include.children()), visible(access, include.target(), include.fields())));
        }
        return allowed;
    }

    /**
     * Filtering or sorting across references reads the resources on the way; filtering or sorting on a field the
     * caller may not read would reveal it, so it is refused like reading it.
     */
    private void allowReadAlong(ResourceDefinition resource, List<String> via, String field) {
        ResourceDefinition at = resource;
        ResourceAccess access = policy.accessTo(current.get(), resource);
        for (String hop : via == null ? List.<String>of() : via) {
            ResourceDefinition from = at;
            String next = from.field(hop).filter(f -> f.reference() != null).map(f -> f.reference().to())
                    .or(() -> from.relation(hop).map(ResourceDefinition.Relation::resource)).orElse(null);
            at = next == null ? null : catalog.byName(next).orElse(null);
            if (at == null) {
                return;
            }
            access = allow(at, Action.READ);
        }
        if (access.hiddenFields().contains(field)) {
            throw new PlinthException(ErrorCode.FORBIDDEN, "Your roles may not read " + at.name() + "." + field
                    + ", so they may not filter or sort by it.", List.of(new io.plinth.error.FieldProblem(field,
                    "your roles may not read this field")));
        }
    }

    /** The fields to render: those asked for (or all), less those the caller's roles may not read. */
    private static Set<String> visible(ResourceAccess access, ResourceDefinition resource, Set<String> requested) {
        if (access.hiddenFields().isEmpty()) {
            return requested;
        }
        Set<String> visible = new java.util.LinkedHashSet<>();
        if (requested != null) {
            visible.addAll(requested);
        } else {
            visible.addAll(List.of("createdAt", "updatedAt", "status", "version"));
            resource.fields().forEach(f -> visible.add(f.name()));
        }
        visible.removeAll(access.hiddenFields());
        return visible;
    }

    private ResponseEntity<ObjectNode> respond(HttpStatus status, ResourceDefinition resource, StoredRecord record,
                                               ResourceAccess access) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).eTag(EntityTags.of(record.version()));
        if (status == HttpStatus.CREATED) {
            builder.location(URI.create("/api/v1/" + resource.path() + "/" + record.id()));
        }
        return builder.body(renderer.render(resource, record, visible(access, resource, null)));
    }

    private static VersionCheck versionCheck(ResourceDefinition resource, String ifMatch) {
        VersionCheck check = EntityTags.ifMatch(ifMatch);
        if (resource.requireIfMatch() && !check.isPresent()) {
            throw new PlinthException(ErrorCode.PRECONDITION_REQUIRED, "Changes to " + resource.nameWithArticle()
                    + " need an If-Match header with the ETag of the version you read.");
        }
        return check;
    }

    private static String uniqueKey(ResourceDefinition resource, String onConflict) {
        FieldDefinition field = resource.field(onConflict).orElse(null);
        if (field == null || !field.unique()) {
            List<String> unique = resource.fields().stream().filter(FieldDefinition::unique).map(FieldDefinition::name).toList();
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "onConflict must name a unique field of "
                    + resource.name() + ".", List.of(new FieldProblem("onConflict", unique.isEmpty()
                    ? resource.name() + " declares no unique field"
                    : "must be one of " + String.join(", ", unique))));
        }
        return field.name();
    }

    private static void checkNoRepeatedKeys(List<RecordValues> values, String key) {
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i).values().get(key);
            if (value == null) {
                throw new PlinthException(ErrorCode.VALIDATION_ERROR, "Every record of an upsert needs " + key + ".",
                        List.of(new FieldProblem("[" + i + "]." + key, "is required for onConflict=" + key)));
            }
            if (!seen.add(Objects.requireNonNull(value))) {
                throw new PlinthException(ErrorCode.VALIDATION_ERROR, "Two records of the upsert have the same " + key + ".",
                        List.of(new FieldProblem("[" + i + "]." + key, "repeats the value of an earlier record")));
            }
        }
    }

    /** The resource served at this path; a hidden one (its flag is on) is not served. */
    private ResourceDefinition resource(String path) {
        var principal = current.get();
        return catalog.byPath(path).filter(resource -> !flags.isHidden(resource, principal.name(), principal.roles()))
                .orElseThrow(() -> new PlinthException(ErrorCode.NOT_FOUND,
                        "No resource is served at /api/v1/" + printable(path) + "."));
    }

    /** The resource served at this path, for a change: refused while the resource is in maintenance. */
    private ResourceDefinition writable(String path) {
        ResourceDefinition resource = resource(path);
        var principal = current.get();
        if (flags.inMaintenance(resource, principal.name(), principal.roles())) {
            throw new PlinthException(ErrorCode.MAINTENANCE, "The " + resource.name() + " resource is in maintenance: "
                    + "it can be read, but not changed until the maintenance ends. Retry later.");
        }
        return resource;
    }

    private static UUID id(ResourceDefinition resource, String id) {
        return RecordReader.parseId(id).orElseThrow(() -> notFound(resource, id));
    }

    private static PlinthException notFound(ResourceDefinition resource, String id) {
        return new PlinthException(ErrorCode.NOT_FOUND,
                "No " + resource.name() + " has the id " + printable(id) + ".");
    }

    /** Echoes client text in a message only when it is short and plain; otherwise leaves it out. */
    private static String printable(String text) {
        return text.length() <= 64 && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
                ? text : "(the given value)";
    }
}
