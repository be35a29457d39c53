package io.plinth.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.MDC;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Turns a validated JWT into a principal: its name from the configured claim (recorded as {@code oidc:<value>} so that
 * it can never be mistaken for a local user), its roles from the roles claim (a list, or a space-separated string).
 */
final class TokenPrincipals implements Converter<Jwt, AbstractAuthenticationToken> {

    private final SecurityProperties.Oidc settings;

    TokenPrincipals(SecurityProperties.Oidc settings) {
        this.settings = settings;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String name = jwt.getClaimAsString(settings.usernameClaim());
        if (name == null || name.isBlank()) {
            name = jwt.getSubject();
        }
        Set<String> roles = new LinkedHashSet<>();
        Object claim = jwt.getClaims().get(settings.rolesClaim());
        if (claim instanceof Collection<?> values) {
            values.forEach(value -> roles.add(String.valueOf(value)));
        } else if (claim instanceof String text) {
            for (String role : text.trim().split("\\s+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        }
        PlinthPrincipal principal = new PlinthPrincipal("oidc:" + name, roles, PlinthPrincipal.Kind.TOKEN, null);
        MDC.put(CredentialsFilter.MDC_KEY, principal.name());
        return new PlinthAuthentication(principal);
    }
}
