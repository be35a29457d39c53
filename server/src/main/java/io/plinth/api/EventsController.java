package io.plinth.api;

import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.definition.ValueText;
import io.plinth.error.ErrorCode;
import io.plinth.flags.FeatureFlags;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import io.plinth.events.EventLog;
import io.plinth.record.RecordReader;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A record's event history ({@code GET /api/v1/{resource}/{id}/events}) and the operators' controls of publishing
 * under {@code /api/v1/_admin/events} (admin-only once security exists).
 */
@Hidden
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class EventsController {

    private final ResourceCatalog catalog;
    private final EventLog events;
    private final RequestBodies bodies;
    private final ApiProperties properties;
    private final RecordReader reader = new RecordReader();
    private final JsonMapper json = JsonMapper.builder().build();

    private final FeatureFlags flags;
    private final io.plinth.security.AccessPolicy policy;
    private final io.plinth.security.CurrentPrincipal current;
    private final io.plinth.query.RecordStore store;

    EventsController(ResourceCatalog catalog, EventLog events, RequestBodies bodies, ApiProperties properties,
                     FeatureFlags flags, io.plinth.security.AccessPolicy policy,
                     io.plinth.security.CurrentPrincipal current, io.plinth.query.RecordStore store) {
        this.catalog = catalog;
        this.store = store;
        this.policy = policy;
        this.current = current;
        this.flags = flags;
        this.events = events;
        this.bodies = bodies;
        this.properties = properties;
    }

    @GetMapping("/{resource}/{id}/events")
    ObjectNode history(@PathVariable("resource") String path, @PathVariable("id") String id,
                       @RequestParam(name = "limit", required = false) String limitText,
                       @RequestParam(name = "cursor", required = false) String cursor) {
        var caller = current.get();
        ResourceDefinition resource = catalog.byPath(path).filter(r -> !flags.isHidden(r, caller.name(), caller.roles()))
                .orElseThrow(() -> new PlinthException(ErrorCode.NOT_FOUND, "No resource is served at this address."));
        io.plinth.security.ResourceAccess access = policy.require(current.get(), resource,
                io.plinth.definition.Action.READ);
        UUID recordId = RecordReader.parseId(id).orElseThrow(() -> new PlinthException(ErrorCode.NOT_FOUND,
                "No " + resource.name() + " has this id."));
        if (access.ownRowsOnly() && store.findById(resource, recordId, java.util.List.of(),
                new io.plinth.query.RowScope(policy.ownRowsOf(current.get()))).isEmpty()) {
            // A caller limited to its own rows sees the history of its own records only.
            throw new PlinthException(ErrorCode.NOT_FOUND, "No " + resource.name() + " has this id.");
        }
        int limit = limit(limitText);
        Long before = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw invalid("cursor", "is not a cursor of this history");
            }
        }
        EventLog.HistoryPage page = events.history(resource.name(), recordId, limit, before);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        page.events().forEach(event -> data.add(withoutHidden(json.readTree(event), access.hiddenFields())));
        ObjectNode info = body.putObject("page");
        info.put("limit", limit);
        info.put("nextCursor", page.next() == null ? null : page.next().toString());
        return body;
    }

    /** An event as this caller may see it: fields its roles may not read are left out of the data and the changes. */
    private static tools.jackson.databind.JsonNode withoutHidden(tools.jackson.databind.JsonNode event,
                                                                 java.util.Set<String> hidden) {
        if (hidden.isEmpty() || !(event.get("payload") instanceof ObjectNode payload)) {
            return event;
        }
        if (payload.get("data") instanceof ObjectNode data) {
            data.remove(hidden);
        }
        if (payload.get("changedFields") instanceof ArrayNode changed) {
            ArrayNode kept = payload.putArray("changedFields");
            changed.forEach(name -> {
                if (!hidden.contains(name.asString())) {
                    kept.add(name);
                }
            });
        }
        return event;
    }

    @GetMapping("/_admin/events")
    EventLog.Status status() {
        return events.status();
    }

    @PostMapping("/_admin/events/pause")
    EventLog.Status pause() {
        events.setPaused(true);
        return events.status();
    }

    @PostMapping("/_admin/events/resume")
    EventLog.Status resume() {
        events.setPaused(false);
        return events.status();
    }

    @PostMapping(path = "/_admin/events/republish", consumes = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode republish(HttpServletRequest request) {
        JsonNode body = reader.parseObject(bodies.read(request));
        int count;
        if (body.has("fromPosition") || body.has("toPosition")) {
            long from = position(body, "fromPosition");
            long to = position(body, "toPosition");
            count = events.republish(from, to);
        } else if (body.has("since")) {
            OffsetDateTime since = timestamp(body, "since");
            OffsetDateTime until = body.has("until") ? timestamp(body, "until") : OffsetDateTime.now();
            count = events.republish(since, until);
        } else {
            throw invalid("since", "give since (and optionally until), or fromPosition and toPosition");
        }
        return JsonNodeFactory.instance.objectNode().put("republished", count);
    }

    private int limit(String text) {
        if (text == null) {
            return properties.defaultLimit();
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= properties.maxLimit()) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw invalid("limit", "must be between 1 and " + properties.maxLimit());
    }

    private static long position(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || !value.isIntegralNumber() || value.asLong() < 1) {
            throw invalid(name, "must be a positive whole number");
        }
        return value.asLong();
    }

    private static OffsetDateTime timestamp(JsonNode body, String name) {
        JsonNode value = body.get(name);
        try {
            if (value == null || !value.isString()) {
                throw new IllegalArgumentException("must be an ISO 8601 timestamp with an offset");
            }
            return ValueText.timestamp(value.stringValue());
        } catch (IllegalArgumentException e) {
            throw invalid(name, e.getMessage());
        }
    }

    private static PlinthException invalid(String field, String message) {
        return new PlinthException(ErrorCode.VALIDATION_ERROR, "The request is not valid: " + field + " " + message + ".",
                List.of(new FieldProblem(field, message)));
    }
}
