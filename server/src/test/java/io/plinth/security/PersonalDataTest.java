package io.plinth.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import io.plinth.support.SecretsLedger;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Personal data ({@code pii: true}) is marked in the OpenAPI document and never reaches a log line, even when the
 * database fails on a row holding it: PostgreSQL's error details (which quote row values) are kept out of exception
 * messages. The values used here go to the ledger that SecretsNeverLoggedTest looks for in every log of the run.
 */
class PersonalDataTest extends PlinthIntegrationTest {

    @Autowired
    DSLContext dsl;

    @Test
    void personalDataIsMarkedInTheApiDocument() {
        String document = http().get("/v3/api-docs").text();
        assertThat(document).contains("\"x-pii\":true");
    }

    @Test
    void aDatabaseFailureOnARowWithPersonalDataLogsNoValue() {
        String email = "pii-" + UUID.randomUUID() + "@example.org";
        SecretsLedger.record(email);
        assertThat(http().postJson("/api/v1/customers", "{\"name\": \"Pat\", \"email\": \"" + email + "\"}").status())
                .isEqualTo(201);
        // A unique violation: answered 409, the value not echoed.
        Response conflict = http().postJson("/api/v1/customers", "{\"name\": \"Pat 2\", \"email\": \"" + email + "\"}");
        assertThat(assertError(conflict, 409, "CONFLICT").toString()).doesNotContain(email);

        // A failure Plinth cannot foresee, raised by the database with the row's value in its detail: logged as an
        // internal error, with the detail left out.
        dsl.execute("""
                create or replace function pii_boom() returns trigger language plpgsql as $$
                begin
                  if NEW.name = 'boom' then
                    raise exception 'refused by a test trigger' using detail = 'email is ' || NEW.email;
                  end if;
                  return NEW;
                end $$""");
        dsl.execute("create trigger pii_boom before insert on customer for each row execute function pii_boom()");
        try {
            String other = "pii-" + UUID.randomUUID() + "@example.org";
            SecretsLedger.record(other);
            Response failed = http().postJson("/api/v1/customers", "{\"name\": \"boom\", \"email\": \"" + other + "\"}");
            assertThat(assertError(failed, 500, "INTERNAL_ERROR").toString()).doesNotContain(other);
        } finally {
            dsl.execute("drop trigger pii_boom on customer");
            dsl.execute("drop function pii_boom()");
        }
    }
}
