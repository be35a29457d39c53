package io.plinth.api;

import io.plinth.definition.Action;
import io.plinth.record.RecordRenderer;
import io.plinth.security.ApiKey;
import io.plinth.security.PlinthPrincipal;
import io.plinth.security.ResourceAccess;
import io.plinth.security.UserAccount;
import java.time.OffsetDateTime;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The JSON of users, API keys and a principal's permissions. Never a password hash or a stored key hash. */
final class SecurityJson {

    private SecurityJson() {
    }

    /** {@code {"data": [...]}} of the items, each rendered as given. */
    static <T> ObjectNode data(java.util.List<T> items, java.util.function.Function<T, ObjectNode> render) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode data = json.putArray("data");
        items.forEach(item -> data.add(render.apply(item)));
        return json;
    }

    static ObjectNode user(UserAccount user) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", user.id().toString());
        json.put("username", user.username());
        ArrayNode roles = json.putArray("roles");
        user.roles().forEach(roles::add);
        json.put("disabled", user.disabled());
        json.put("createdAt", time(user.createdAt()));
        json.put("updatedAt", time(user.updatedAt()));
        json.put("lastLoginAt", time(user.lastLoginAt()));
        return json;
    }

    static ObjectNode key(ApiKey key) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", key.id().toString());
        json.put("username", key.username());
        json.put("name", key.name());
        json.put("prefix", key.prefix());
        json.put("createdAt", time(key.createdAt()));
        json.put("expiresAt", time(key.expiresAt()));
        json.put("lastUsedAt", time(key.lastUsedAt()));
        json.put("revokedAt", time(key.revokedAt()));
        boolean active = key.revokedAt() == null && (key.expiresAt() == null || key.expiresAt().isAfter(OffsetDateTime.now()));
        json.put("active", active);
        return json;
    }

    static ObjectNode principal(PlinthPrincipal principal, Map<String, ResourceAccess> access) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("username", principal.name());
        ArrayNode roles = json.putArray("roles");
        principal.roles().stream().sorted().forEach(roles::add);
        json.put("authentication", principal.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        json.put("admin", principal.isAdmin());
        ObjectNode permissions = json.putObject("permissions");
        access.forEach((resource, allowed) -> permissions.set(resource, access(allowed)));
        return json;
    }

    /** What a principal may do with one resource: actions, hidden and read-only fields, rows, transitions. */
    static ObjectNode access(ResourceAccess allowed) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        ArrayNode actions = entry.putArray("actions");
        for (Action action : Action.values()) {
            if (allowed.allows(action)) {
                actions.add(action.yamlName());
            }
        }
        allowed.hiddenFields().stream().sorted().forEach(entry.putArray("hiddenFields")::add);
        allowed.readOnlyFields().stream().sorted().forEach(entry.putArray("readOnlyFields")::add);
        entry.put("rows", allowed.ownRowsOnly() ? "own" : "all");
        if (allowed.transitions() == null) {
            entry.putNull("transitions");
        } else {
            allowed.transitions().stream().sorted().forEach(entry.putArray("transitions")::add);
        }
        return entry;
    }

    static String time(OffsetDateTime time) {
        return time == null ? null : RecordRenderer.formatTimestamp(time);
    }
}
