package io.plinth.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A real OIDC issuer on loopback for the tests: a discovery document and a JWK set served over HTTP, and RS256 tokens
 * signed with its key. One per test JVM; the shared test instance trusts it (plinth.security.oidc.issuer-uri).
 */
public final class TestIssuer {

    private static final TestIssuer INSTANCE = new TestIssuer();

    private final HttpServer server;
    private final RSAKey key;
    private final RSAKey stranger;
    private final String uri;

    private TestIssuer() {
        try {
            key = new RSAKeyGenerator(2048).keyID("plinth-test").generate();
            stranger = new RSAKeyGenerator(2048).keyID("plinth-test").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
        String discovery = """
                {"issuer": "%s", "jwks_uri": "%s/jwks", "subject_types_supported": ["public"],
                 "id_token_signing_alg_values_supported": ["RS256"], "response_types_supported": ["code"],
                 "authorization_endpoint": "%s/authorize", "token_endpoint": "%s/token"}""".formatted(uri, uri, uri, uri);
        server.createContext("/issuer/.well-known/openid-configuration", exchange -> respond(exchange, discovery));
        server.createContext("/issuer/jwks", exchange ->
                respond(exchange, new JWKSet(key.toPublicJWK()).toString()));
        server.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The issuer URI Plinth is configured with. */
    public static String uri() {
        return INSTANCE.uri;
    }

    /** A valid token for this subject with these Plinth roles, for an hour. */
    public static String token(String subject, List<String> roles) {
        return INSTANCE.sign(INSTANCE.key, INSTANCE.uri, subject, roles, Instant.now().plus(Duration.ofHours(1)));
    }

    /** A token that expired a minute ago. */
    public static String expiredToken(String subject, List<String> roles) {
        return INSTANCE.sign(INSTANCE.key, INSTANCE.uri, subject, roles, Instant.now().minus(Duration.ofMinutes(5)));
    }

    /** A token signed by a key the issuer does not publish (same key id). */
    public static String wronglySignedToken(String subject, List<String> roles) {
        return INSTANCE.sign(INSTANCE.stranger, INSTANCE.uri, subject, roles, Instant.now().plus(Duration.ofHours(1)));
    }

    /** A token naming another issuer. */
    public static String foreignIssuerToken(String subject, List<String> roles) {
        return INSTANCE.sign(INSTANCE.key, "http://127.0.0.1:1/other", subject, roles, Instant.now().plus(Duration.ofHours(1)));
    }

    private String sign(RSAKey with, String issuer, String subject, List<String> roles, Instant expires) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer(issuer).subject(subject).claim("roles", roles)
                            .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(10))))
                            .expirationTime(Date.from(expires)).build());
            jwt.sign(new RSASSASigner(with));
            String token = jwt.serialize();
            SecretsLedger.record(token);
            return token;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
