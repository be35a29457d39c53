package io.plinth.security;

import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Web login and logout: checks a password under the login throttle and starts or ends a session. */
@Component
public class Logins {

    private static final Logger log = LoggerFactory.getLogger(Logins.class);

    /**
     * A successful login: the cookie to set and what the web app needs.
     *
     * @param sessionToken the session cookie's value
     * @param csrfToken    the token to send as {@code X-CSRF-Token} with every cookie-authenticated write
     * @param expiresAt    when the session ends
     * @param principal    who logged in
     */
    public record Session(String sessionToken, String csrfToken, OffsetDateTime expiresAt, PlinthPrincipal principal) {
        @Override
        public String toString() {
            return "Session[" + principal.name() + ", expires " + expiresAt + "]";
        }
    }

    private final Users users;
    private final Sessions sessions;
    private final PasswordHashing hashing;
    private final LoginThrottle throttle;

    Logins(Users users, Sessions sessions, PasswordHashing hashing, LoginThrottle throttle) {
        this.users = users;
        this.sessions = sessions;
        this.hashing = hashing;
        this.throttle = throttle;
    }

    /**
     * Logs a user in. A wrong name or password is 401 UNAUTHENTICATED with the same message either way; a locked
     * account or address is 429 RATE_LIMITED with the time left.
     */
    public Session login(String username, String password, String remoteAddress) {
        Optional<Duration> locked = throttle.lockedFor(username, remoteAddress);
        if (locked.isPresent()) {
            long seconds = Math.max(1, locked.get().toSeconds() + 1);
            throw new PlinthException(ErrorCode.RATE_LIMITED, "Too many failed logins; try again in " + seconds
                    + " s.", List.of(), null, seconds);
        }
        Optional<Record> user = username == null ? Optional.empty() : users.credentials(username);
        boolean matches = hashing.matches(password == null ? "" : password,
                user.map(row -> row.get("password_hash", String.class)).orElse(null));
        if (!matches || user.get().get("disabled", Boolean.class)) {
            throttle.failed(username, remoteAddress);
            log.info("Failed login for {} from {}", Users.printable(username), remoteAddress);
            throw new PlinthException(ErrorCode.UNAUTHENTICATED, "The username or password is not right.");
        }
        UUID userId = user.get().get("id", UUID.class);
        throttle.succeeded(username);
        users.recordLogin(userId);
        Sessions.Started started = sessions.start(userId, remoteAddress);
        PlinthPrincipal principal = new PlinthPrincipal(username,
                java.util.Set.of(user.get().get("roles", String[].class)), PlinthPrincipal.Kind.SESSION, userId);
        log.info("{} logged in from {}", username, remoteAddress);
        return new Session(started.token(), started.csrfToken(), started.expiresAt(), principal);
    }

    /** Ends the session of this cookie token. */
    public void logout(String sessionToken) {
        sessions.end(sessionToken);
    }

    /** The CSRF token of the session of this cookie token, when the session is valid. */
    public Optional<String> csrfToken(String sessionToken) {
        return sessions.find(sessionToken).map(CredentialCache.Entry::csrfToken);
    }

    /** The hash under which a session token is stored, to keep that one session when a password changes. */
    public String sessionHash(String sessionToken) {
        return sessionToken == null ? null : Tokens.hash(sessionToken);
    }

    /** An administrator unlocks an account locked by failed logins. */
    public void unlock(String username) {
        throttle.clear(username);
    }

    /** The session token a request's cookie carries, if any. */
    public Optional<String> sessionToken(jakarta.servlet.http.HttpServletRequest request) {
        return sessions.tokenOf(request);
    }

    /** The session cookie's name. */
    public String cookieName() {
        return sessions.cookieName();
    }

    /** How long sessions last. */
    public Duration sessionTimeout() {
        return sessions.timeout();
    }
}
