/**
 * Security: who is calling and what they may do. Authenticates web sessions (cookie + CSRF token), API keys
 * ({@code Bearer plk_...}) and, when an issuer is configured, OIDC/JWT bearer tokens; keeps users, keys and sessions
 * (secrets stored only as hashes); throttles failed logins; and decides, from the roles declared beside the resources,
 * whether a principal may perform an action on a resource, which fields it sees and writes, and which rows.
 *
 * <p>Public face: {@link io.plinth.security.PlinthPrincipal}, {@link io.plinth.security.CurrentPrincipal},
 * {@link io.plinth.security.AccessPolicy}, {@link io.plinth.security.ResourceAccess}, {@link io.plinth.security.Users},
 * {@link io.plinth.security.ApiKeys}, {@link io.plinth.security.Logins}.
 */
package io.plinth.security;
