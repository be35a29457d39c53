package io.plinth.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Security settings under {@code plinth.security}.
 *
 * @param adminPassword the password of the {@code admin} user created on first start with no users; random (printed
 *                      once in the log) when empty. Env: {@code PLINTH_ADMIN_PASSWORD}
 * @param adminApiKey   an API key ({@code plk_} followed by at least 32 characters) that acts as {@code admin}, for
 *                      automation (deployment scripts, the benchmark); none when empty. Stored only as a hash. Env:
 *                      {@code PLINTH_ADMIN_API_KEY}
 * @param session       web sessions
 * @param login         failed-login throttling
 * @param cacheTtl      how long an authenticated API key or session is trusted before it is looked up again; a
 *                      revocation on another instance takes effect within this time (at once on the same instance)
 * @param oidc          OIDC/JWT bearer tokens; off unless an issuer or a JWK set is configured
 * @param cors          cross-origin access; closed unless origins are listed
 * @param rateLimit     request rate limits per principal and per client address
 */
@ConfigurationProperties("plinth.security")
public record SecurityProperties(String adminPassword, String adminApiKey, Session session, Login login,
                                 Duration cacheTtl, Oidc oidc, Cors cors, RateLimit rateLimit) {

    public SecurityProperties {
        adminPassword = blankToNull(adminPassword);
        adminApiKey = blankToNull(adminApiKey);
        session = session == null ? new Session(null, null) : session;
        login = login == null ? new Login(null, null, null, null) : login;
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(5) : cacheTtl;
        oidc = oidc == null ? new Oidc(null, null, null, null, null) : oidc;
        cors = cors == null ? new Cors(null) : cors;
        rateLimit = rateLimit == null ? new RateLimit(null, null, null, null, null) : rateLimit;
    }

    /**
     * Request rate limits, counted in fixed windows and shared by every instance through PostgreSQL.
     *
     * @param enabled       whether requests are limited at all
     * @param window        the window length
     * @param perPrincipal  requests per window for one principal (anonymous callers count per address only)
     * @param perAddress    requests per window from one client address, whoever calls
     * @param syncInterval  how often each instance adds its counts to the shared ones; the limits hold across
     *                      instances to within what they admit in this time
     */
    public record RateLimit(Boolean enabled, Duration window, Long perPrincipal, Long perAddress, Duration syncInterval) {
        public RateLimit {
            enabled = enabled == null || enabled;
            window = window == null ? Duration.ofSeconds(10) : window;
            perPrincipal = perPrincipal == null ? 100_000L : perPrincipal;
            perAddress = perAddress == null ? 100_000L : perAddress;
            syncInterval = syncInterval == null ? Duration.ofMillis(500) : syncInterval;
        }
    }

    /**
     * @param timeout    how long a web session lasts after login
     * @param cookieName the session cookie's name
     */
    public record Session(Duration timeout, String cookieName) {
        public Session {
            timeout = timeout == null ? Duration.ofHours(8) : timeout;
            cookieName = cookieName == null || cookieName.isBlank() ? "plinth_session" : cookieName;
        }
    }

    /**
     * @param maxFailures      failed logins per account name before it is locked
     * @param maxFailuresPerIp failed logins per client address before it is locked
     * @param lockout          the first lock's length; each further failure while counting doubles it
     * @param maxLockout       the longest lock
     */
    public record Login(Integer maxFailures, Integer maxFailuresPerIp, Duration lockout, Duration maxLockout) {
        public Login {
            maxFailures = maxFailures == null ? 5 : maxFailures;
            maxFailuresPerIp = maxFailuresPerIp == null ? 20 : maxFailuresPerIp;
            lockout = lockout == null ? Duration.ofMinutes(1) : lockout;
            maxLockout = maxLockout == null ? Duration.ofMinutes(15) : maxLockout;
        }
    }

    /**
     * @param issuerUri     the issuer; its discovery document gives the JWK set, and tokens must name it
     * @param jwkSetUri     the JWK set, when the issuer has no discovery document
     * @param audience      the audience tokens must name, or null for any
     * @param rolesClaim    the claim holding Plinth role names (a list or a space-separated string)
     * @param usernameClaim the claim naming the caller; Plinth records it as {@code oidc:<value>}
     */
    public record Oidc(String issuerUri, String jwkSetUri, String audience, String rolesClaim, String usernameClaim) {
        public Oidc {
            issuerUri = blankToNull(issuerUri);
            jwkSetUri = blankToNull(jwkSetUri);
            audience = blankToNull(audience);
            rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
            usernameClaim = usernameClaim == null || usernameClaim.isBlank() ? "sub" : usernameClaim;
        }

        /** Whether bearer tokens other than API keys are accepted. */
        public boolean enabled() {
            return issuerUri != null || jwkSetUri != null;
        }
    }

    /** @param allowedOrigins origins allowed to call the API from a browser; empty: none */
    public record Cors(List<String> allowedOrigins) {
        public Cors {
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
