package io.plinth.api;

import io.plinth.definition.Action;
import io.plinth.definition.FieldDefinition;
import io.plinth.definition.Lifecycle;
import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.security.AccessPolicy;
import io.plinth.security.CurrentPrincipal;
import io.plinth.security.PlinthPrincipal;
import io.plinth.security.ResourceAccess;
import io.swagger.v3.oas.annotations.Hidden;
import java.math.BigDecimal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The declarations as a client needs them to build screens: every resource the caller may read, its fields with their
 * constraints (those hidden from the caller left out), its lifecycle and relations, and what the caller may do with it.
 * The web app generates its tables and forms from this; it mirrors the server's own rules, so client-side validation
 * agrees with the API's.
 */
@Hidden
@RestController
@RequestMapping(path = "/api/v1/_meta", produces = MediaType.APPLICATION_JSON_VALUE)
class MetaController {

    private final ResourceCatalog catalog;
    private final AccessPolicy policy;
    private final CurrentPrincipal current;

    MetaController(ResourceCatalog catalog, AccessPolicy policy, CurrentPrincipal current) {
        this.catalog = catalog;
        this.policy = policy;
        this.current = current;
    }

    @GetMapping("/resources")
    ResponseEntity<ObjectNode> resources() {
        PlinthPrincipal principal = current.get();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode data = json.putArray("data");
        for (ResourceDefinition resource : catalog.all()) {
            ResourceAccess access = policy.accessTo(principal, resource);
            if (access.allows(Action.READ)) {
                data.add(resource(resource, access));
            }
        }
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-cache").body(json);
    }

    private static ObjectNode resource(ResourceDefinition resource, ResourceAccess access) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("name", resource.name());
        json.put("path", resource.path());
        json.put("description", resource.description());
        json.put("requireIfMatch", resource.requireIfMatch());
        json.put("events", resource.events() != null && resource.events().enabled());
        ArrayNode fields = json.putArray("fields");
        resource.fields().stream().filter(field -> !access.hiddenFields().contains(field.name()))
                .forEach(field -> fields.add(field(field)));
        json.set("lifecycle", lifecycle(resource.lifecycle()));
        ArrayNode relations = json.putArray("relations");
        resource.relations().forEach(relation -> relations.addObject().put("name", relation.name())
                .put("resource", relation.resource()).put("field", relation.field()));
        json.set("access", SecurityJson.access(access));
        return json;
    }

    private static ObjectNode field(FieldDefinition field) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("name", field.name());
        json.put("type", field.type().yamlName());
        json.put("required", field.required());
        json.put("unique", field.unique());
        json.put("readOnly", field.readOnly());
        putIfSet(json, "minLength", field.minLength());
        putIfSet(json, "maxLength", field.maxLength());
        if (field.pattern() != null) {
            json.put("pattern", field.pattern().pattern());
        }
        putIfSet(json, "min", field.min());
        putIfSet(json, "max", field.max());
        putIfSet(json, "precision", field.precision());
        putIfSet(json, "scale", field.scale());
        if (!field.values().isEmpty()) {
            field.values().forEach(json.putArray("values")::add);
        }
        if (field.defaultValue() != null) {
            Object value = field.defaultValue();
            switch (value) {
                case Boolean b -> json.put("default", b);
                case Integer i -> json.put("default", i);
                case Long l -> json.put("default", l);
                case BigDecimal d -> json.put("default", d);
                default -> json.put("default", value.toString());
            }
        }
        json.put("description", field.description());
        if (field.reference() != null) {
            ObjectNode reference = json.putObject("reference");
            reference.put("to", field.reference().to());
            reference.put("onDelete", field.reference().onDelete().yamlName());
            putIfSet(reference, "maxItems", field.reference().maxItems());
        }
        json.put("pii", field.pii());
        return json;
    }

    private static ObjectNode lifecycle(Lifecycle lifecycle) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        lifecycle.states().forEach(json.putArray("states")::add);
        json.put("initial", lifecycle.initial());
        ObjectNode transitions = json.putObject("transitions");
        for (String state : lifecycle.states()) {
            ArrayNode targets = transitions.putArray(state);
            lifecycle.targetsFrom(state).forEach(targets::add);
        }
        lifecycle.states().stream().filter(state -> !lifecycle.isEditable(state))
                .forEach(json.putArray("readOnlyStates")::add);
        return json;
    }

    private static void putIfSet(ObjectNode json, String name, Integer value) {
        if (value != null) {
            json.put(name, value);
        }
    }

    private static void putIfSet(ObjectNode json, String name, BigDecimal value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
