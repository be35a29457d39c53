package io.plinth.flags;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The flags' settings: in {@code plinth_flag}, and in memory in every instance so that an evaluation never waits on
 * the database. A change anywhere fires a NOTIFY (a trigger on the table); each instance LISTENs and re-reads at once,
 * and re-reads every {@code plinth.flags.refresh-interval} anyway, so a lost notification delays a change by that
 * interval at most. While the database is unreachable the last settings read stay in force.
 */
@Component
public class FlagStore implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FlagStore.class);
    static final String CHANNEL = "plinth_flag";
    private static final Table<?> FLAG = table(name("plinth_flag"));
    private static final Field<String> NAME = field(name("name"), String.class);
    private static final Field<Boolean> ENABLED = field(name("enabled"), Boolean.class);
    private static final Field<Integer> ROLLOUT = field(name("rollout_percent"), Integer.class);
    private static final Field<String[]> ROLES = field(name("roles"), String[].class);
    private static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), OffsetDateTime.class);
    private static final Field<String> UPDATED_BY = field(name("updated_by"), String.class);
    private static final Field<Long> VERSION = field(name("version"), Long.class);

    private final FlagCatalog catalog;
    private final DSLContext dsl;
    private final DataSource dataSource;
    private final Duration refreshInterval;
    private final Map<String, FlagState> settings = new ConcurrentHashMap<>();
    private final Counter refreshes;
    private volatile long lastRefreshMillis = System.currentTimeMillis();
    private volatile boolean running;
    private Thread listener;

    public FlagStore(FlagCatalog catalog, DSLContext dsl, DataSource dataSource, FlagsProperties properties,
                     MeterRegistry meters) {
        this.catalog = catalog;
        this.dsl = dsl;
        this.dataSource = dataSource;
        this.refreshInterval = properties.refreshInterval();
        this.refreshes = Counter.builder("plinth.flags.refreshes").description("Times the flag settings were re-read")
                .register(meters);
        Gauge.builder("plinth.flags.staleness.seconds", this, store -> (System.currentTimeMillis() - store.lastRefreshMillis) / 1000.0)
                .description("Time since the flag settings were last read from the database").register(meters);
        for (FlagDefinition flag : catalog.all()) {
            Gauge.builder("plinth.flags.enabled", this, store -> store.state(flag.name()).enabled() ? 1 : 0)
                    .tag("flag", flag.name()).description("1 when the flag is on (for its roles and percentage)")
                    .register(meters);
        }
    }

    /** The setting of a flag of the catalog. */
    public FlagState state(String flagName) {
        FlagState state = settings.get(flagName);
        return state != null ? state : FlagState.initial(catalog.byName(flagName).orElseThrow());
    }

    /** Changes a flag, records who did, and tells every instance. */
    public FlagState update(String flagName, FlagChange change, String actor) {
        FlagDefinition flag = catalog.byName(flagName).orElseThrow();
        FlagState updated = dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            Record row = tx.select(NAME, ENABLED, ROLLOUT, ROLES, UPDATED_AT, UPDATED_BY, VERSION).from(FLAG)
                    .where(NAME.eq(flagName)).forUpdate().fetchOne();
            FlagState current = row == null ? FlagState.initial(flag) : toState(row);
            FlagState next = new FlagState(flagName,
                    change.enabled() != null ? change.enabled() : current.enabled(),
                    change.rolloutPercent() != null ? change.rolloutPercent() : current.rolloutPercent(),
                    change.roles() != null ? change.roles() : current.roles(),
                    null, actor, current.version() + 1);
            Record stored = tx.insertInto(FLAG)
                    .set(NAME, flagName).set(ENABLED, next.enabled()).set(ROLLOUT, next.rolloutPercent())
                    .set(ROLES, next.roles().toArray(String[]::new)).set(UPDATED_BY, actor).set(VERSION, next.version())
                    .onConflict(NAME).doUpdate()
                    .set(ENABLED, next.enabled()).set(ROLLOUT, next.rolloutPercent())
                    .set(ROLES, next.roles().toArray(String[]::new)).set(UPDATED_BY, actor).set(VERSION, next.version())
                    .set(UPDATED_AT, DSL.currentOffsetDateTime())
                    .returning(NAME, ENABLED, ROLLOUT, ROLES, UPDATED_AT, UPDATED_BY, VERSION)
                    .fetchOne();
            return toState(stored);
        });
        settings.put(flagName, updated);
        log.atInfo().addKeyValue("flag", flagName).addKeyValue("enabled", updated.enabled())
                .addKeyValue("rolloutPercent", updated.rolloutPercent()).addKeyValue("roles", updated.roles())
                .addKeyValue("actor", actor).log("Flag {} changed", flagName);
        return updated;
    }

    private void refresh(DSLContext context) {
        Map<String, FlagState> read = new java.util.HashMap<>();
        context.select(NAME, ENABLED, ROLLOUT, ROLES, UPDATED_AT, UPDATED_BY, VERSION).from(FLAG).fetch()
                .forEach(row -> read.put(row.get(NAME), toState(row)));
        for (FlagDefinition flag : catalog.all()) {
            FlagState state = read.get(flag.name());
            if (state == null) {
                settings.remove(flag.name());
            } else {
                settings.put(flag.name(), state);
            }
        }
        lastRefreshMillis = System.currentTimeMillis();
        refreshes.increment();
    }

    private static FlagState toState(Record row) {
        String[] roles = row.get(ROLES);
        return new FlagState(row.get(NAME), row.get(ENABLED), row.get(ROLLOUT),
                roles == null ? List.of() : Arrays.asList(roles), row.get(UPDATED_AT), row.get(UPDATED_BY),
                row.get(VERSION));
    }

    private void listen() {
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                DSLContext own = DSL.using(connection, dsl.dialect());
                refresh(own);
                backoff = Duration.ofMillis(200);
                while (running) {
                    notifications.getNotifications((int) refreshInterval.toMillis());
                    refresh(own);
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Flag refresh lost its database connection ({}); keeping the last settings, retrying in {} ms",
                            e.getMessage(), backoff.toMillis());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                            ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
                }
            }
        }
    }

    /** Reads the settings before the web server takes requests, then keeps them fresh on a thread of its own. */
    @Override
    public void start() {
        try {
            refresh(dsl);
        } catch (RuntimeException e) {
            log.warn("Flags could not be read at start-up ({}); their declared defaults apply until they can",
                    e.getMessage());
        }
        running = true;
        listener = Thread.ofPlatform().name("plinth-flag-listener").daemon().start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server (which starts in a late phase) so that no request sees stale defaults. */
    @Override
    public int getPhase() {
        return 0;
    }
}
