package io.plinth.api;

import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import io.plinth.query.RecordStore;
import io.plinth.record.RecordReader;
import io.plinth.record.RecordRenderer;
import io.plinth.record.RecordValues;
import io.plinth.record.StoredRecord;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resource endpoints of the design template's section 5.1, for every declared resource:
 * {@code POST /api/v1/{resource}} and {@code GET /api/v1/{resource}/{id}}.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class ResourceController {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ResourceCatalog catalog;
    private final RecordStore store;
    private final RequestBodies bodies;
    private final RecordReader reader = new RecordReader();
    private final RecordRenderer renderer = new RecordRenderer();

    ResourceController(ResourceCatalog catalog, RecordStore store, RequestBodies bodies) {
        this.catalog = catalog;
        this.store = store;
        this.bodies = bodies;
    }

    @PostMapping(path = "/{resource}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    ResponseEntity<ObjectNode> create(@PathVariable("resource") String path, HttpServletRequest request) {
        ResourceDefinition resource = resource(path);
        RecordValues values = reader.readForCreate(resource, reader.parseObject(bodies.read(request)));
        StoredRecord created = store.insert(resource, values);
        return ResponseEntity.created(URI.create("/api/v1/" + resource.path() + "/" + created.id()))
                .body(renderer.render(resource, created));
    }

    @GetMapping("/{resource}/{id}")
    ObjectNode get(@PathVariable("resource") String path, @PathVariable("id") String id) {
        ResourceDefinition resource = resource(path);
        if (!UUID_TEXT.matcher(id).matches()) {
            throw notFound(resource, id);
        }
        return store.findById(resource, UUID.fromString(id))
                .map(record -> renderer.render(resource, record))
                .orElseThrow(() -> notFound(resource, id));
    }

    private ResourceDefinition resource(String path) {
        return catalog.byPath(path).orElseThrow(() -> new PlinthException(ErrorCode.NOT_FOUND,
                "No resource is served at /api/v1/" + printable(path) + "."));
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
