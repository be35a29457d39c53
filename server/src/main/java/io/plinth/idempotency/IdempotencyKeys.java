package io.plinth.idempotency;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record4;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a request's work at most once per Idempotency-Key.
 *
 * <p>The key row is claimed with {@code INSERT ... ON CONFLICT} in one transaction with the work: a duplicate that
 * races the first request waits on the primary key until the first commits, then finds its response. If the work
 * fails, the transaction (and the claim) rolls back, so a retry runs it again.
 */
@Component
@EnableConfigurationProperties(IdempotencyProperties.class)
public class IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Table<?> KEYS = table(name("plinth_idempotency_key"));
    private static final Field<String> SCOPE = field(name("scope"), String.class);
    private static final Field<String> KEY_COLUMN = field(name("idempotency_key"), String.class);
    private static final Field<String> HASH = field(name("request_hash"), String.class);
    private static final Field<Integer> STATUS = field(name("response_status"), Integer.class);
    private static final Field<String> HEADERS = field(name("response_headers"), String.class);
    private static final Field<String> BODY = field(name("response_body"), String.class);
    private static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);

    private final DSLContext dsl;
    private final IdempotencyProperties properties;
    private final JsonMapper json = JsonMapper.builder().build();

    public IdempotencyKeys(DSLContext dsl, IdempotencyProperties properties) {
        this.dsl = dsl;
        this.properties = properties;
    }

    /**
     * Runs {@code work} unless this key already ran it; then replays that response.
     *
     * @param scope       what the key belongs to, e.g. {@code POST /api/v1/entities}
     * @param key         the client's Idempotency-Key
     * @param requestHash a fingerprint of the request (route and canonical body)
     * @param work        the change, run inside this method's transaction
     * @throws PlinthException VALIDATION_ERROR for a malformed key; IDEMPOTENCY_KEY_REUSED when the key was used for
     *                         a different request
     */
    public StoredResponse execute(String scope, String key, String requestHash, Supplier<StoredResponse> work) {
        if (!KEY.matcher(key).matches()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The Idempotency-Key header is not valid.",
                    List.of(new FieldProblem("Idempotency-Key", "must be 1 to 255 visible ASCII characters")));
        }
        OffsetDateTime expiredBefore = OffsetDateTime.now().minus(properties.ttl());
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            int claimed = tx.insertInto(KEYS).set(SCOPE, scope).set(KEY_COLUMN, key).set(HASH, requestHash)
                    .onConflict(SCOPE, KEY_COLUMN).doUpdate()
                    .set(HASH, requestHash).set(STATUS, (Integer) null).set(HEADERS, (String) null)
                    .set(BODY, (String) null).set(CREATED_AT, DSL.currentOffsetDateTime())
                    .where(field(name("plinth_idempotency_key", "created_at"), OffsetDateTime.class).lt(expiredBefore))
                    .execute();
            if (claimed == 0) {
                return replay(tx, scope, key, requestHash);
            }
            StoredResponse response = work.get();
            tx.update(KEYS).set(STATUS, response.status()).set(HEADERS, json.writeValueAsString(response.headers()))
                    .set(BODY, response.body())
                    .where(SCOPE.eq(scope)).and(KEY_COLUMN.eq(key))
                    .execute();
            return response;
        });
    }

    private StoredResponse replay(DSLContext tx, String scope, String key, String requestHash) {
        Record4<String, Integer, String, String> stored = tx.select(HASH, STATUS, HEADERS, BODY).from(KEYS)
                .where(SCOPE.eq(scope)).and(KEY_COLUMN.eq(key)).fetchOne();
        if (stored == null || !stored.value1().equals(requestHash)) {
            throw new PlinthException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was already used for a "
                    + "different request; use a new key for a new request.",
                    List.of(new FieldProblem("Idempotency-Key", "was used with another body or address")));
        }
        Map<String, String> headers = json.readValue(stored.value3(), new TypeReference<Map<String, String>>() { });
        return new StoredResponse(stored.value2(), headers, stored.value4(), true);
    }

    /** Forgets expired keys, hourly; expired keys are also reclaimed on use, so this only bounds the table's size. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetExpired() {
        try {
            int removed = dsl.deleteFrom(KEYS).where(CREATED_AT.lt(OffsetDateTime.now().minus(properties.ttl()))).execute();
            if (removed > 0) {
                log.info("Forgot {} expired idempotency keys", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Could not remove expired idempotency keys; will try again: {}", e.getMessage());
        }
    }
}
