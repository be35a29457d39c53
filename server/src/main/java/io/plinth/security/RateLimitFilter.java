package io.plinth.security;

import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Counts requests against their client address (placed before authentication, so that floods of bad credentials
 * count too) or against their principal (placed after authorization, when it is known); past a limit answers 429
 * RATE_LIMITED with {@code Retry-After} (the seconds left in the window). Health probes are never limited. Not a
 * Spring bean, for the same reason as {@link CredentialsFilter}.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;
    private final CurrentPrincipal current;
    private final HandlerExceptionResolver errors;
    private final boolean byPrincipal;

    private RateLimitFilter(RateLimiter limiter, CurrentPrincipal current, HandlerExceptionResolver errors,
                            boolean byPrincipal) {
        this.limiter = limiter;
        this.current = current;
        this.errors = errors;
        this.byPrincipal = byPrincipal;
    }

    /** The limit per client address. */
    static RateLimitFilter byAddress(RateLimiter limiter, HandlerExceptionResolver errors) {
        return new RateLimitFilter(limiter, null, errors, false);
    }

    /** The limit per authenticated principal. */
    static RateLimitFilter byPrincipal(RateLimiter limiter, CurrentPrincipal current, HandlerExceptionResolver errors) {
        return new RateLimitFilter(limiter, current, errors, true);
    }

    /** Two instances of this class run per request (address, principal): each needs its own once-per-request mark. */
    @Override
    protected String getAlreadyFilteredAttributeName() {
        return RateLimitFilter.class.getName() + (byPrincipal ? ".principal" : ".address") + ".FILTERED";
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !limiter.enabled() || path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long now = System.currentTimeMillis();
        RateLimiter.Refusal refusal;
        if (byPrincipal) {
            PlinthPrincipal principal = current.get();
            refusal = principal.isAnonymous() ? null : limiter.admitPrincipal(principal.name(), now);
        } else {
            refusal = limiter.admitAddress(request.getRemoteAddr(), now);
        }
        if (refusal != null) {
            errors.resolveException(request, response, null, new PlinthException(ErrorCode.RATE_LIMITED,
                    "Too many requests; retry in " + refusal.retryAfterSeconds() + " s.", List.of(), null,
                    refusal.retryAfterSeconds()));
            return;
        }
        chain.doFilter(request, response);
    }
}
