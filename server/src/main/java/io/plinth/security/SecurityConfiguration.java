package io.plinth.security;

import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The HTTP security of Plinth (ADR-015): stateless as far as Spring is concerned (Plinth keeps its own sessions in
 * PostgreSQL), API keys and session cookies checked by {@link CredentialsFilter}, JWTs by Spring's resource server
 * when an issuer is configured. Administration and the actuator (but health) need the admin role; the resource routes
 * decide per resource and action in {@link AccessPolicy}, because which resources are public is configuration.
 * Every refusal is answered in the template's error shape by the api component's error mapper.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    /** The Content-Security-Policy: the web app and Swagger UI load only their own scripts. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    SecurityFilterChain plinthSecurity(HttpSecurity http, SecurityProperties properties, ApiKeys apiKeys,
                                       Sessions sessions, RateLimiter limiter, CurrentPrincipal current,
                                       @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors)
            throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, failure) ->
                errors.resolveException(request, response, null, new PlinthException(ErrorCode.UNAUTHENTICATED,
                        failure instanceof org.springframework.security.oauth2.server.resource.InvalidBearerTokenException
                                ? "The bearer token is not valid: expired, wrongly signed, or not from the configured issuer."
                                : "This needs credentials: log in, or send an API key or a bearer token."));
        AccessDeniedHandler forbidden = (request, response, denied) ->
                errors.resolveException(request, response, null,
                        new PlinthException(ErrorCode.FORBIDDEN, "This needs the admin role."));
        boolean tokens = properties.oidc().enabled();
        // Only the filters Plinth needs: no HTTP session, no servlet-API request wrapper, no request cache; headers are
        // written before the request runs instead of by wrapping the response (each wrapper costs on every write).
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.disable())
                .servletApi(api -> api.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                // Same anchor, in this order: the address limit, then credentials.
                .addFilterBefore(RateLimitFilter.byAddress(limiter, errors),
                        tokens ? BearerTokenAuthenticationFilter.class : AnonymousAuthenticationFilter.class)
                .addFilterBefore(new CredentialsFilter(apiKeys, sessions, tokens, errors),
                        tokens ? BearerTokenAuthenticationFilter.class : AnonymousAuthenticationFilter.class)
                .addFilterAfter(RateLimitFilter.byPrincipal(limiter, current, errors),
                        org.springframework.security.web.access.intercept.AuthorizationFilter.class)
                .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole("admin")
                        .requestMatchers("/api/v1/_admin/**").hasRole("admin")
                        .requestMatchers(HttpMethod.POST, "/api/v1/_auth/login").permitAll()
                        .requestMatchers("/api/v1/_auth/**", "/api/v1/_meta/**").authenticated()
                        // Resource routes: AccessPolicy decides per resource and action (some may be public).
                        .anyRequest().permitAll())
                .headers(headers -> {
                    headers.addObjectPostProcessor(new org.springframework.security.config.ObjectPostProcessor<
                            org.springframework.security.web.header.HeaderWriterFilter>() {
                        @Override
                        public <O extends org.springframework.security.web.header.HeaderWriterFilter> O postProcess(
                                O filter) {
                            filter.setShouldWriteHeadersEagerly(true);
                            return filter;
                        }
                    });
                    headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                            .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                            .frameOptions(frame -> frame.deny())
                            .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000));
                })
                .cors(cors -> {
                    if (properties.cors().allowedOrigins().isEmpty()) {
                        cors.disable(); // closed: no CORS headers are ever written
                    } else {
                        cors.configurationSource(cors(properties.cors()));
                    }
                });
        if (tokens) {
            http.oauth2ResourceServer(server -> server
                    .bearerTokenResolver(jwtOnly())
                    .authenticationEntryPoint(unauthenticated)
                    .accessDeniedHandler(forbidden)
                    .jwt(jwt -> jwt.decoder(decoder(properties.oidc()))
                            .jwtAuthenticationConverter(new TokenPrincipals(properties.oidc()))));
        }
        return http.build();
    }

    /**
     * No observations (timers, spans) of Spring Security's filters, authentications and authorizations: wrapping each
     * of the chain's ~15 filters in an observation was the largest part of the chain's cost per request
     * (docs/performance.md). The request's own observation and trace remain.
     */
    @Bean
    org.springframework.security.config.observation.SecurityObservationSettings noSecurityObservations() {
        return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's default firewall with its header and parameter-name rules checked by a loop over code points
     * instead of a regular expression: the same rule ({@link FirewallRules}), but the firewall checks every header name
     * and value each time one is read, and the expressions were 3-4 % of a read's CPU (docs/performance.md).
     */
    @Bean
    org.springframework.security.web.firewall.HttpFirewall httpFirewall() {
        var firewall = new org.springframework.security.web.firewall.StrictHttpFirewall();
        firewall.setAllowedHeaderNames(FirewallRules::assignedAndNotControl);
        firewall.setAllowedHeaderValues(FirewallRules::headerValue);
        firewall.setAllowedParameterNames(FirewallRules::assignedAndNotControl);
        return firewall;
    }

    /** The firewall's refusals before any controller runs (hostile paths): 400 in the template's shape. */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler requestRejectedHandler(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        return (request, response, rejected) -> errors.resolveException(request, response, null,
                new PlinthException(ErrorCode.MALFORMED_REQUEST, "The request contains characters or names that are "
                        + "not accepted."));
    }

    /** Bearer tokens for the JWT filter: everything but Plinth's own API keys. */
    private static BearerTokenResolver jwtOnly() {
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        return request -> {
            String token = standard.resolve(request);
            return token == null || token.startsWith(Tokens.API_KEY_PREFIX) ? null : token;
        };
    }

    /** Resolved on first use, so that Plinth starts while the identity provider is unreachable. */
    private static JwtDecoder decoder(SecurityProperties.Oidc oidc) {
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = oidc.jwkSetUri() != null
                    ? NimbusJwtDecoder.withJwkSetUri(oidc.jwkSetUri()).build()
                    : (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(oidc.issuerUri());
            List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
            validators.add(oidc.issuerUri() != null ? JwtValidators.createDefaultWithIssuer(oidc.issuerUri())
                    : JwtValidators.createDefault());
            if (oidc.audience() != null) {
                validators.add(new JwtClaimValidator<List<String>>("aud",
                        audiences -> audiences != null && audiences.contains(oidc.audience())));
            }
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
            return decoder;
        });
    }

    private static CorsConfigurationSource cors(SecurityProperties.Cors settings) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (settings.allowedOrigins().isEmpty()) {
            return source;
        }
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(settings.allowedOrigins());
        configuration.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE", "OPTIONS"));
        configuration.setAllowedHeaders(List.of("Authorization", "Content-Type", "If-Match", "If-None-Match",
                "Idempotency-Key", "X-Correlation-ID", "traceparent"));
        configuration.setExposedHeaders(List.of("ETag", "Location", "X-Correlation-ID", "Retry-After",
                "Idempotency-Replayed"));
        configuration.setAllowCredentials(false);
        configuration.setMaxAge(3600L);
        source.registerCorsConfiguration("/api/**", configuration);
        return source;
    }
}
