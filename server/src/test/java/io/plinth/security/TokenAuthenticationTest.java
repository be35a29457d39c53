package io.plinth.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import io.plinth.support.TestIssuer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * OIDC/JWT bearer tokens from a real issuer on loopback (discovery document and JWK set over HTTP): roles from the
 * token's claim, the caller recorded as oidc:<sub>, and every kind of bad token refused with 401.
 */
class TokenAuthenticationTest extends PlinthIntegrationTest {

    private Http bearer(String token) {
        return Http.withAuthorization(port, "Bearer " + token);
    }

    @Test
    void aValidTokenActsWithTheRolesOfItsClaim() {
        Http editor = bearer(TestIssuer.token("ada", List.of("editor")));
        Response created = editor.postJson("/api/v1/entities", "{\"field1\": \"from a token\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("createdBy").asString()).isEqualTo("oidc:ada");
        JsonNode me = editor.get("/api/v1/_auth/me").json();
        assertThat(me.get("username").asString()).isEqualTo("oidc:ada");
        assertThat(me.get("authentication").asString()).isEqualTo("token");
        assertThat(me.get("roles").toString()).contains("editor");

        Http viewer = bearer(TestIssuer.token("bo", List.of("viewer")));
        assertThat(viewer.get("/api/v1/entities").status()).isEqualTo(200);
        assertError(viewer.postJson("/api/v1/entities", "{\"field1\": \"no\"}"), 403, "FORBIDDEN");
        assertError(viewer.get("/api/v1/_admin/users"), 403, "FORBIDDEN");
        // Roles the definitions do not declare grant nothing.
        assertError(bearer(TestIssuer.token("cy", List.of("wizard"))).get("/api/v1/entities"), 403, "FORBIDDEN");
        // Token users have no password or keys at Plinth.
        assertError(editor.get("/api/v1/_auth/keys"), 403, "FORBIDDEN");
    }

    @Test
    void expiredWronglySignedForeignAndMalformedTokensAre401() {
        List<String> roles = List.of("admin");
        for (String token : List.of(TestIssuer.expiredToken("eve", roles), TestIssuer.wronglySignedToken("eve", roles),
                TestIssuer.foreignIssuerToken("eve", roles), "not.a.jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJldmUifQ.")) {
            Response refused = bearer(token).get("/api/v1/entities");
            JsonNode body = assertError(refused, 401, "UNAUTHENTICATED");
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(body.get("error").asString()).doesNotContain(token);
        }
    }
}
