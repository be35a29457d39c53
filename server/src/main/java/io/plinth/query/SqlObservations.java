package io.plinth.query;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One observation per SQL statement jOOQ executes: a span {@code sql <operation>} in the request's trace (with the
 * statement text, bind values never included), and the timer {@code plinth_sql_seconds} by operation.
 */
@Configuration(proxyBeanMethods = false)
class SqlObservations {

    @Bean
    DefaultExecuteListenerProvider sqlObservationListener(ObservationRegistry registry) {
        return new DefaultExecuteListenerProvider(new Listener(registry));
    }

    private static final class Listener implements ExecuteListener {

        private static final String OBSERVATION = "plinth.sql.observation";
        private static final String SCOPE = "plinth.sql.scope";
        private static final int MAX_STATEMENT = 2000;

        private final transient ObservationRegistry registry;

        Listener(ObservationRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void executeStart(ExecuteContext ctx) {
            String sql = ctx.sql() == null ? "" : ctx.sql();
            String operation = operation(sql);
            Observation observation = Observation.createNotStarted("plinth.sql", registry)
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
            if (ctx.data(SCOPE) instanceof Observation.Scope scope) {
                scope.close();
            }
            if (ctx.data(OBSERVATION) instanceof Observation observation) {
                observation.stop();
            }
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
