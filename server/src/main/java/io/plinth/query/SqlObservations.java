package io.plinth.query;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every SQL statement jOOQ executes is timed by {@code plinth_sql_seconds} (tags {@code db_system}, {@code
 * db_operation}, {@code error}). A statement run inside a sampled trace is also an observation, so the trace gets a
 * span {@code sql <operation>} (with the statement text, bind values never included); elsewhere (the unsampled nine
 * tenths of requests, background work with no trace) the timer is recorded directly, which costs a fraction of an
 * observation: the observation's handlers (timer, tracing context, scopes) were 8 % of a read's CPU when every
 * statement had one (docs/performance.md).
 */
@Configuration(proxyBeanMethods = false)
class SqlObservations {

    private static final String NAME = "plinth.sql";

    @Bean
    DefaultExecuteListenerProvider sqlObservationListener(ObservationRegistry registry, MeterRegistry meters,
                                                          ObjectProvider<Tracer> tracer) {
        return new DefaultExecuteListenerProvider(new Listener(registry, meters, tracer.getIfAvailable(() -> Tracer.NOOP)));
    }

    private static final class Listener implements ExecuteListener {

        private static final String OBSERVATION = "plinth.sql.observation";
        private static final String SCOPE = "plinth.sql.scope";
        private static final String TIMING = "plinth.sql.timing";
        private static final String NO_ERROR = "none";
        private static final int MAX_STATEMENT = 2000;

        private final transient ObservationRegistry registry;
        private final transient MeterRegistry meters;
        private final transient Tracer tracer;
        private final transient Map<String, Timer> timers = new ConcurrentHashMap<>();

        Listener(ObservationRegistry registry, MeterRegistry meters, Tracer tracer) {
            this.registry = registry;
            this.meters = meters;
            this.tracer = tracer;
        }

        @Override
        public void executeStart(ExecuteContext ctx) {
            String sql = ctx.sql() == null ? "" : ctx.sql();
            String operation = operation(sql);
            if (!inSampledTrace()) {
                ctx.data(TIMING, new Timing(operation, System.nanoTime()));
                return;
            }
            Observation observation = Observation.createNotStarted(NAME, registry)
                    .contextualName("sql " + operation)
                    .lowCardinalityKeyValue("db.system", "postgresql")
                    .lowCardinalityKeyValue("db.operation", operation)
                    .highCardinalityKeyValue("db.statement",
                            sql.length() > MAX_STATEMENT ? sql.substring(0, MAX_STATEMENT) + "..." : sql)
                    .start();
            ctx.data(OBSERVATION, observation);
            ctx.data(SCOPE, observation.openScope());
        }

        @Override
        public void exception(ExecuteContext ctx) {
            if (ctx.data(OBSERVATION) instanceof Observation observation && ctx.exception() != null) {
                observation.error(ctx.exception());
            }
        }

        @Override
        public void end(ExecuteContext ctx) {
            if (ctx.data(TIMING) instanceof Timing timing) {
                String error = ctx.exception() == null ? NO_ERROR : ctx.exception().getClass().getSimpleName();
                timer(timing.operation(), error).record(System.nanoTime() - timing.started(), TimeUnit.NANOSECONDS);
                return;
            }
            if (ctx.data(SCOPE) instanceof Observation.Scope scope) {
                scope.close();
            }
            if (ctx.data(OBSERVATION) instanceof Observation observation) {
                observation.stop();
            }
        }

        /** A statement timed without an observation: its operation tag and when it started. */
        private record Timing(String operation, long started) {
        }

        private boolean inSampledTrace() {
            Span current = tracer.currentSpan();
            return current != null && Boolean.TRUE.equals(current.context().sampled());
        }

        /** The same timer (name and tags) the observation's meter handler records, looked up once per kind. */
        private Timer timer(String operation, String error) {
            return timers.computeIfAbsent(operation + '|' + error, key -> Timer.builder(NAME)
                    .tag("db.system", "postgresql")
                    .tag("db.operation", operation)
                    .tag("error", error)
                    .register(meters));
        }

        private static String operation(String sql) {
            String trimmed = sql.stripLeading();
            int space = trimmed.indexOf(' ');
            String word = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
            return switch (word) {
                case "select", "insert", "update", "delete", "with" -> word;
                default -> "other";
            };
        }
    }
}
