package io.plinth.query;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks every few seconds that the database answers, and publishes the result as {@code plinth_database_up} (1 or 0)
 * for alerting; logs each change of state once, not each failed check. Requests do not wait for it: they fail fast on
 * their own (the pool's connection timeout) and readiness asks the database itself.
 */
@Component
class DatabaseProbe {

    private static final Logger log = LoggerFactory.getLogger(DatabaseProbe.class);
    private static final int VALIDATION_SECONDS = 2;

    private final DataSource dataSource;
    private final AtomicInteger up = new AtomicInteger(1);

    DatabaseProbe(DataSource dataSource, MeterRegistry meters) {
        this.dataSource = dataSource;
        Gauge.builder("plinth.database.up", up, AtomicInteger::get)
                .description("1 when the last check reached the database, else 0").register(meters);
    }

    @Scheduled(fixedDelayString = "${plinth.database.probe-interval:PT5S}", initialDelayString = "PT1S")
    void probe() {
        int now;
        String problem = null;
        try (Connection connection = dataSource.getConnection()) {
            now = connection.isValid(VALIDATION_SECONDS) ? 1 : 0;
        } catch (SQLException e) {
            now = 0;
            problem = e.getMessage();
        }
        int before = up.getAndSet(now);
        if (before == 1 && now == 0) {
            log.atWarn().addKeyValue("reason", problem).log("The database cannot be reached; API calls answer 503");
        } else if (before == 0 && now == 1) {
            log.info("The database can be reached again");
        }
    }
}
