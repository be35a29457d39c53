package io.plinth.security;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Fixed-window request counts per subject (a principal, a client address), shared by every instance without a round
 * trip per request: each instance decides from the last total it read plus what it admitted since, and every
 * {@code sync-interval} adds its new counts to {@code plinth_rate_window} in one statement, reading back the totals.
 * Across N instances a limit holds to within what they admit in one sync interval. While the database is unreachable
 * each instance goes on counting alone.
 */
@Component
class RateLimiter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    /** A refusal: how many seconds until the window ends. */
    record Refusal(long retryAfterSeconds) {
    }

    /** One subject's count in one window. */
    private static final class Counter {
        final long window;
        long total;        // the shared total as last read
        long unsynced;     // admitted here since the last sync

        Counter(long window) {
            this.window = window;
        }
    }

    private final DSLContext db;
    private final SecurityProperties.RateLimit settings;
    private final long windowMillis;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sync;
    private static final long CLEANUP_EVERY_MILLIS = 60_000;
    private volatile long lastCleanup;

    RateLimiter(DSLContext db, SecurityProperties properties) {
        this.db = db;
        this.settings = properties.rateLimit();
        this.windowMillis = settings.window().toMillis();
        this.sync = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("plinth-rate-sync")
                .daemon(true).factory());
        if (settings.enabled()) {
            long every = settings.syncInterval().toMillis();
            sync.scheduleWithFixedDelay(this::syncQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    boolean enabled() {
        return settings.enabled();
    }

    /** Counts one request of a principal, refusing it when the principal is past its limit. */
    Refusal admitPrincipal(String name, long nowMillis) {
        return admit("p:" + name, settings.perPrincipal(), nowMillis);
    }

    /** Counts one request from a client address, refusing it when the address is past its limit. */
    Refusal admitAddress(String address, long nowMillis) {
        return admit("a:" + address, settings.perAddress(), nowMillis);
    }

    private Refusal admit(String subject, long limit, long nowMillis) {
        long window = nowMillis / windowMillis;
        Refusal[] refusal = {null};
        counters.compute(subject.length() > 250 ? subject.substring(0, 250) : subject, (key, counter) -> {
            Counter current = counter == null || counter.window != window ? new Counter(window) : counter;
            if (current.total + current.unsynced >= limit) {
                long left = (window + 1) * windowMillis - nowMillis;
                refusal[0] = new Refusal(Math.max(1, (left + 999) / 1000));
            } else {
                current.unsynced++;
            }
            return current;
        });
        return refusal[0];
    }

    private void syncQuietly() {
        try {
            sync(System.currentTimeMillis());
        } catch (RuntimeException e) {
            log.debug("Could not share rate-limit counts; counting locally until the database answers", e);
        }
    }

    /** Adds this instance's new counts to the shared totals and reads the totals back. */
    void sync(long nowMillis) {
        long current = nowMillis / windowMillis;
        counters.entrySet().removeIf(entry -> entry.getValue().window < current - 1);
        List<Object[]> pending = new ArrayList<>();
        for (String subject : List.copyOf(counters.keySet())) {
            counters.computeIfPresent(subject, (key, counter) -> {
                pending.add(new Object[] {key, counter.window, counter.unsynced});
                return counter;
            });
        }
        if (pending.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("insert into plinth_rate_window as w (subject, window_start, count) values ");
        List<Object> binds = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?::timestamptz, ?)");
            binds.add(pending.get(i)[0]);
            binds.add(windowStart((long) pending.get(i)[1]));
            binds.add(pending.get(i)[2]);
        }
        sql.append(" on conflict (subject, window_start) do update set count = w.count + excluded.count "
                + "returning subject, extract(epoch from window_start) * 1000 as window_millis, count");
        db.fetch(sql.toString(), binds.toArray()).forEach(row -> {
            String subject = row.get("subject", String.class);
            long window = row.get("window_millis", Double.class).longValue() / windowMillis;
            long total = row.get("count", Long.class);
            Object[] sent = pending.stream().filter(p -> p[0].equals(subject) && (long) p[1] == window)
                    .findFirst().orElse(null);
            counters.computeIfPresent(subject, (key, counter) -> {
                if (counter.window == window && sent != null) {
                    counter.unsynced -= (long) sent[2];
                    counter.total = total;
                }
                return counter;
            });
        });
        if (nowMillis - lastCleanup > CLEANUP_EVERY_MILLIS) {
            lastCleanup = nowMillis;
            Query cleanup = db.query("delete from plinth_rate_window where window_start < ?::timestamptz",
                    windowStart(current - 2));
            cleanup.execute();
        }
    }

    private String windowStart(long window) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(window * windowMillis), ZoneOffset.UTC).toString();
    }

    @Override
    public void destroy() {
        sync.shutdownNow();
    }
}
