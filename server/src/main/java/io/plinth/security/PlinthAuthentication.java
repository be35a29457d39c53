package io.plinth.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** Spring Security's view of an authenticated {@link PlinthPrincipal}: each role as authority {@code ROLE_<role>}. */
final class PlinthAuthentication extends AbstractAuthenticationToken {

    private final PlinthPrincipal principal;

    PlinthAuthentication(PlinthPrincipal principal) {
        super(principal.roles().stream().map(role -> new SimpleGrantedAuthority("ROLE_" + role)).toList());
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public PlinthPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal.name();
    }

    @Override
    public String toString() {
        return "PlinthAuthentication[" + principal.name() + ", " + principal.kind() + ", " + List.copyOf(principal.roles()) + "]";
    }
}
