package io.plinth.api;

import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import io.plinth.record.RecordReader;
import io.plinth.record.RecordRenderer;
import io.plinth.security.AccessPolicy;
import io.plinth.security.ApiKey;
import io.plinth.security.ApiKeys;
import io.plinth.security.CurrentPrincipal;
import io.plinth.security.Logins;
import io.plinth.security.PlinthPrincipal;
import io.plinth.security.Users;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The caller's own account: web login and logout (session cookie + CSRF token), who they are and what they may do,
 * their password, and their own API keys.
 */
@Hidden
@RestController
@RequestMapping(path = "/api/v1/_auth", produces = MediaType.APPLICATION_JSON_VALUE)
class AuthController {

    private final Logins logins;
    private final Users users;
    private final ApiKeys keys;
    private final CurrentPrincipal current;
    private final AccessPolicy policy;
    private final RequestBodies bodies;
    private final RecordReader reader = new RecordReader();
    private final io.plinth.flags.FeatureFlags flags;
    private final io.plinth.flags.FlagCatalog flagCatalog;

    AuthController(Logins logins, Users users, ApiKeys keys, CurrentPrincipal current, AccessPolicy policy,
                   RequestBodies bodies, io.plinth.flags.FeatureFlags flags, io.plinth.flags.FlagCatalog flagCatalog) {
        this.flags = flags;
        this.flagCatalog = flagCatalog;
        this.logins = logins;
        this.users = users;
        this.keys = keys;
        this.current = current;
        this.policy = policy;
        this.bodies = bodies;
    }

    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> login(HttpServletRequest request) {
        BodyFields body = new BodyFields(reader.parseObject(bodies.read(request)), Set.of("username", "password"));
        String username = body.string("username", true);
        String password = body.string("password", true);
        body.check("The login");
        Logins.Session session = logins.login(username, password, request.getRemoteAddr());
        ObjectNode json = SecurityJson.principal(session.principal(), policy.accessToAll(session.principal()));
        json.put("csrfToken", session.csrfToken());
        json.put("expiresAt", RecordRenderer.formatTimestamp(session.expiresAt()));
        ResponseCookie cookie = ResponseCookie.from(logins.cookieName(), session.sessionToken())
                .httpOnly(true).secure(request.isSecure()).sameSite("Lax").path("/")
                .maxAge(logins.sessionTimeout()).build();
        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie.toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(json);
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        logins.sessionToken(request).ifPresent(logins::logout);
        ResponseCookie expired = ResponseCookie.from(logins.cookieName(), "").httpOnly(true).secure(request.isSecure())
                .sameSite("Lax").path("/").maxAge(0).build();
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, expired.toString()).build();
    }

    @GetMapping("/me")
    ResponseEntity<ObjectNode> me(HttpServletRequest request) {
        PlinthPrincipal principal = current.get();
        ObjectNode json = SecurityJson.principal(principal, policy.accessToAll(principal));
        if (principal.kind() == PlinthPrincipal.Kind.SESSION) {
            logins.sessionToken(request).flatMap(logins::csrfToken).ifPresent(token -> json.put("csrfToken", token));
        }
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(json);
    }

    /** Every feature flag as it evaluates for the caller (its name as targeting key, its roles), for clients. */
    @GetMapping("/flags")
    ObjectNode myFlags() {
        PlinthPrincipal principal = current.get();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ObjectNode data = json.putObject("data");
        flagCatalog.all().forEach(flag -> data.put(flag.name(),
                flags.isOn(flag.name(), principal.name(), principal.roles())));
        return json;
    }

    @PutMapping(path = "/password", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> changePassword(HttpServletRequest request) {
        UUID userId = localUser();
        BodyFields body = new BodyFields(reader.parseObject(bodies.read(request)), Set.of("currentPassword", "newPassword"));
        String currentPassword = body.string("currentPassword", true);
        String newPassword = body.string("newPassword", true);
        body.check("The password change");
        users.changeOwnPassword(userId, currentPassword, newPassword,
                logins.sessionHash(logins.sessionToken(request).orElse(null)));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/keys")
    ObjectNode myKeys() {
        return SecurityJson.data(keys.ofUser(localUser()), SecurityJson::key);
    }

    @PostMapping(path = "/keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> createKey(HttpServletRequest request) {
        UUID userId = localUser();
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(UsersController.created(keys, userId, reader.parseObject(bodies.read(request))));
    }

    @DeleteMapping("/keys/{id}")
    ObjectNode revokeKey(@PathVariable("id") String id) {
        UUID userId = localUser();
        ApiKey revoked = keys.revoke(UsersController.keyId(id), userId);
        return SecurityJson.key(revoked);
    }

    private UUID localUser() {
        PlinthPrincipal principal = current.get();
        if (principal.userId() == null) {
            throw new PlinthException(ErrorCode.FORBIDDEN, "Only local users have a password and API keys; "
                    + "token users manage theirs at their identity provider.");
        }
        return principal.userId();
    }
}
