package io.plinth.api;

import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import io.plinth.flags.FlagCatalog;
import io.plinth.flags.FlagChange;
import io.plinth.flags.FlagDefinition;
import io.plinth.flags.FlagState;
import io.plinth.flags.FlagStore;
import io.plinth.record.RecordReader;
import io.plinth.record.RecordRenderer;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/_admin/flags}: every flag with its setting, and changes to one ({@code PATCH} with any of
 * {@code enabled}, {@code rolloutPercent}, {@code roles}). A change reaches every instance within a second (NOTIFY),
 * or {@code plinth.flags.refresh-interval} at most.
 */
@Hidden
@RestController
@RequestMapping(path = "/api/v1/_admin/flags", produces = MediaType.APPLICATION_JSON_VALUE)
class FlagsController {

    private static final Set<String> KEYS = Set.of("enabled", "rolloutPercent", "roles");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final int MAX_ROLES = 50;

    private final FlagCatalog catalog;
    private final FlagStore store;
    private final RequestBodies bodies;
    private final RecordReader reader = new RecordReader();

    private final io.plinth.security.CurrentPrincipal current;

    FlagsController(FlagCatalog catalog, FlagStore store, RequestBodies bodies,
                    io.plinth.security.CurrentPrincipal current) {
        this.current = current;
        this.catalog = catalog;
        this.store = store;
        this.bodies = bodies;
    }

    @GetMapping
    ObjectNode list() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        catalog.all().forEach(flag -> data.add(render(flag, store.state(flag.name()))));
        return body;
    }

    @GetMapping("/{name}")
    ObjectNode get(@PathVariable("name") String name) {
        FlagDefinition flag = flag(name);
        return render(flag, store.state(flag.name()));
    }

    @PatchMapping(path = "/{name}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    ObjectNode change(@PathVariable("name") String name, HttpServletRequest request) {
        FlagDefinition flag = flag(name);
        FlagChange change = read(reader.parseObject(bodies.read(request)));
        return render(flag, store.update(flag.name(), change, current.get().name()));
    }

    private FlagDefinition flag(String name) {
        return catalog.byName(name).orElseThrow(() -> new PlinthException(ErrorCode.NOT_FOUND,
                "No flag is named '" + (name.length() > 100 ? name.substring(0, 100) + "..." : name) + "'."));
    }

    private static FlagChange read(JsonNode body) {
        List<FieldProblem> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : body.properties()) {
            if (!KEYS.contains(property.getKey())) {
                problems.add(new FieldProblem(property.getKey(), "is not a setting of a flag (enabled, rolloutPercent, roles)"));
            }
        }
        Boolean enabled = null;
        if (body.has("enabled")) {
            if (body.get("enabled").isBoolean()) {
                enabled = body.get("enabled").booleanValue();
            } else {
                problems.add(new FieldProblem("enabled", "must be true or false"));
            }
        }
        Integer percent = null;
        if (body.has("rolloutPercent")) {
            JsonNode value = body.get("rolloutPercent");
            if (value.isIntegralNumber() && value.canConvertToInt() && value.intValue() >= 0 && value.intValue() <= 100) {
                percent = value.intValue();
            } else {
                problems.add(new FieldProblem("rolloutPercent", "must be a whole number from 0 to 100"));
            }
        }
        List<String> roles = null;
        if (body.has("roles")) {
            JsonNode value = body.get("roles");
            if (!value.isArray() || value.size() > MAX_ROLES) {
                problems.add(new FieldProblem("roles", "must be an array of at most " + MAX_ROLES + " role names ([] for every role)"));
            } else {
                Set<String> names = new LinkedHashSet<>();
                for (JsonNode role : value) {
                    if (role.isString() && ROLE.matcher(role.stringValue()).matches()) {
                        names.add(role.stringValue());
                    } else {
                        problems.add(new FieldProblem("roles", "holds something that is not a role name (letters, digits, _ and -)"));
                        break;
                    }
                }
                roles = List.copyOf(names);
            }
        }
        if (problems.isEmpty() && enabled == null && percent == null && roles == null) {
            problems.add(new FieldProblem("enabled", "a change names at least one of enabled, rolloutPercent, roles"));
        }
        if (!problems.isEmpty()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The flag change is not valid: "
                    + problems.getFirst().field() + " " + problems.getFirst().message() + ".", problems);
        }
        return new FlagChange(enabled, percent, roles);
    }

    private static ObjectNode render(FlagDefinition flag, FlagState state) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("name", flag.name());
        json.put("description", flag.description());
        json.put("builtIn", flag.builtIn());
        json.put("enabled", state.enabled());
        json.put("rolloutPercent", state.rolloutPercent());
        ArrayNode roles = json.putArray("roles");
        state.roles().forEach(roles::add);
        json.put("updatedAt", state.updatedAt() == null ? null : RecordRenderer.formatTimestamp(state.updatedAt()));
        json.put("updatedBy", state.updatedBy());
        json.put("version", state.version());
        return json;
    }
}
