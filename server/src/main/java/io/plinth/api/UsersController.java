package io.plinth.api;

import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.RoleDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import io.plinth.record.RecordReader;
import io.plinth.security.ApiKey;
import io.plinth.security.ApiKeys;
import io.plinth.security.Logins;
import io.plinth.security.UserAccount;
import io.plinth.security.Users;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Administration of users, their roles and API keys, and the declared roles (admin role only, see security). */
@Hidden
@RestController
@RequestMapping(path = "/api/v1/_admin", produces = MediaType.APPLICATION_JSON_VALUE)
class UsersController {

    private static final int MAX_ROLES = 50;
    private final Users users;
    private final ApiKeys keys;
    private final Logins logins;
    private final ResourceCatalog catalog;
    private final RequestBodies bodies;
    private final RecordReader reader = new RecordReader();

    UsersController(Users users, ApiKeys keys, Logins logins, ResourceCatalog catalog, RequestBodies bodies) {
        this.users = users;
        this.keys = keys;
        this.logins = logins;
        this.catalog = catalog;
        this.bodies = bodies;
    }

    @GetMapping("/roles")
    ObjectNode roles() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode data = json.putArray("data");
        ObjectNode admin = data.addObject();
        admin.put("name", RoleDefinition.ADMIN);
        admin.put("description", "Built in: may do everything, including administration.");
        for (RoleDefinition role : catalog.roles()) {
            ObjectNode entry = data.addObject();
            entry.put("name", role.name());
            entry.put("description", role.description());
            ObjectNode grants = entry.putObject("grants");
            for (RoleDefinition.Grant grant : role.grants()) {
                ObjectNode g = grants.putObject(grant.resource());
                grant.actions().stream().map(a -> a.yamlName()).sorted().forEach(g.putArray("actions")::add);
                grant.hiddenFields().stream().sorted().forEach(g.putArray("hiddenFields")::add);
                grant.readOnlyFields().stream().sorted().forEach(g.putArray("readOnlyFields")::add);
                grant.transitions().stream().sorted().forEach(g.putArray("transitions")::add);
                g.put("rows", grant.ownRowsOnly() ? "own" : "all");
            }
        }
        return json;
    }

    @GetMapping("/users")
    ObjectNode list() {
        return SecurityJson.data(users.list(), SecurityJson::user);
    }

    @PostMapping(path = "/users", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> create(HttpServletRequest request) {
        BodyFields body = new BodyFields(reader.parseObject(bodies.read(request)), Set.of("username", "password", "roles"));
        String username = body.string("username", true);
        String password = body.string("password", true);
        List<String> roles = body.strings("roles", MAX_ROLES);
        body.check("The user");
        UserAccount user = users.create(username, password, roles == null ? List.of() : roles);
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.LOCATION, "/api/v1/_admin/users/" + user.username())
                .body(SecurityJson.user(user));
    }

    @GetMapping("/users/{username}")
    ObjectNode get(@PathVariable("username") String username) {
        return SecurityJson.user(user(username));
    }

    @PatchMapping(path = "/users/{username}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/merge-patch+json"})
    ObjectNode update(@PathVariable("username") String username, HttpServletRequest request) {
        BodyFields body = new BodyFields(reader.parseObject(bodies.read(request)), Set.of("roles", "disabled", "password"));
        List<String> roles = body.strings("roles", MAX_ROLES);
        Boolean disabled = body.bool("disabled");
        String password = body.string("password", false);
        body.check("The user change");
        return SecurityJson.user(users.update(username, roles, disabled, password));
    }

    @DeleteMapping("/users/{username}")
    ResponseEntity<Void> delete(@PathVariable("username") String username) {
        users.delete(username);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/users/{username}/unlock")
    ResponseEntity<Void> unlock(@PathVariable("username") String username) {
        logins.unlock(user(username).username());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/users/{username}/keys")
    ObjectNode keysOf(@PathVariable("username") String username) {
        return SecurityJson.data(keys.ofUser(user(username).id()), SecurityJson::key);
    }

    @PostMapping(path = "/users/{username}/keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> createKey(@PathVariable("username") String username, HttpServletRequest request) {
        UUID userId = user(username).id();
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(created(keys, userId, reader.parseObject(bodies.read(request))));
    }

    @GetMapping("/keys")
    ObjectNode allKeys() {
        return SecurityJson.data(keys.all(), SecurityJson::key);
    }

    @DeleteMapping("/keys/{id}")
    ObjectNode revoke(@PathVariable("id") String id) {
        return SecurityJson.key(keys.revoke(keyId(id), null));
    }

    private UserAccount user(String username) {
        return users.find(username).orElseThrow(() -> new PlinthException(ErrorCode.NOT_FOUND,
                "No user is named " + Users.printable(username) + "."));
    }

    /** Creates a key from a body {@code {name, expiresAt?}}; the response carries the secret, once. */
    static ObjectNode created(ApiKeys keys, UUID userId, JsonNode json) {
        BodyFields body = new BodyFields(json, Set.of("name", "expiresAt"));
        String name = body.string("name", true);
        java.time.OffsetDateTime expiresAt = body.timestamp("expiresAt");
        body.check("The API key");
        ApiKey.Created created = keys.create(userId, name, expiresAt);
        ObjectNode response = SecurityJson.key(created.key());
        response.put("secret", created.secret());
        return response;
    }

    static UUID keyId(String id) {
        return RecordReader.parseId(id).orElseThrow(() -> new PlinthException(ErrorCode.NOT_FOUND,
                "No API key has the id " + (id.length() <= 64 ? id : "(the given value)") + "."));
    }
}
