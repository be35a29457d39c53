package io.plinth.security;

import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.MDC;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Authenticates API keys ({@code Authorization: Bearer plk_...}) and session cookies, and checks the CSRF token of
 * every cookie-authenticated write. A presented key that is not valid is refused at once (401) rather than treated as
 * anonymous; an unknown or expired session cookie is ignored (the caller is anonymous). Other bearer tokens are left
 * to the JWT filter when OIDC is configured, and refused otherwise. Not a Spring bean: Boot would also register it as a
 * servlet filter and run it twice.
 */
final class CredentialsFilter extends OncePerRequestFilter {

    /** The header carrying the CSRF token of a cookie-authenticated write. */
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** The MDC key (and log field) naming the principal of a request. */
    static final String MDC_KEY = io.plinth.observability.PrincipalName.MDC_KEY;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final ApiKeys apiKeys;
    private final Sessions sessions;
    private final boolean tokensAccepted;
    private final HandlerExceptionResolver errors;

    CredentialsFilter(ApiKeys apiKeys, Sessions sessions, boolean tokensAccepted, HandlerExceptionResolver errors) {
        this.apiKeys = apiKeys;
        this.sessions = sessions;
        this.tokensAccepted = tokensAccepted;
        this.errors = errors;
    }

    /** Health probes never depend on the credential store (a load balancer must see the truth during an outage). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            authenticate(request);
        } catch (PlinthException e) {
            errors.resolveException(request, response, null, e);
            return;
        } catch (org.jooq.exception.DataAccessException | org.springframework.dao.DataAccessException e) {
            // The credential store is PostgreSQL: while it is unreachable, a credential that is not cached cannot be
            // checked. That is the database being down, not the caller's fault.
            errors.resolveException(request, response, null, new PlinthException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Credentials cannot be checked while the database is unreachable; retry shortly.",
                    java.util.List.of(), e));
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    private void authenticate(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new PlinthException(ErrorCode.UNAUTHENTICATED,
                        "Only Bearer credentials are accepted in the Authorization header.");
            }
            String token = authorization.substring(7).trim();
            if (token.startsWith(Tokens.API_KEY_PREFIX)) {
                PlinthPrincipal principal = apiKeys.authenticate(token).orElseThrow(() -> new PlinthException(
                        ErrorCode.UNAUTHENTICATED, "The API key is not valid: unknown, expired or revoked."));
                signIn(principal);
            } else if (!tokensAccepted) {
                throw new PlinthException(ErrorCode.UNAUTHENTICATED, "The bearer token is not a Plinth API key, and "
                        + "no token issuer is configured.");
            }
            return;
        }
        Optional<CredentialCache.Entry> session = sessions.tokenOf(request).flatMap(sessions::find);
        if (session.isEmpty()) {
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod())
                && !Tokens.same(request.getHeader(CSRF_HEADER), session.get().csrfToken())) {
            throw new PlinthException(ErrorCode.FORBIDDEN, "A write with a session cookie needs the session's CSRF "
                    + "token in the " + CSRF_HEADER + " header.");
        }
        signIn(session.get().principal());
    }

    private static void signIn(PlinthPrincipal principal) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new PlinthAuthentication(principal));
        SecurityContextHolder.setContext(context);
        MDC.put(MDC_KEY, principal.name());
    }
}
