package io.plinth.security;

import java.time.Duration;
import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Failed logins counted per account name and per client address in PostgreSQL, so every instance sees the same
 * counts. Past the allowed failures a subject is locked, for {@code lockout} doubled with each further failure up to
 * {@code maxLockout}; a successful login clears the account's count. Unknown names are counted like known ones, so
 * that a lock does not reveal which names exist.
 */
@Component
class LoginThrottle {

    private final DSLContext db;
    private final SecurityProperties.Login settings;

    LoginThrottle(DSLContext db, SecurityProperties properties) {
        this.db = db;
        this.settings = properties.login();
    }

    /** How long the account or the address must still wait, if either is locked. */
    Optional<Duration> lockedFor(String username, String address) {
        return db.fetchOptional("select extract(epoch from max(locked_until) - now()) from plinth_login_attempt "
                        + "where subject in (?, ?) and locked_until > now()", account(username), address(address))
                .map(row -> row.get(0, Double.class))
                .filter(java.util.Objects::nonNull)
                .map(seconds -> Duration.ofMillis((long) (seconds * 1000)));
    }

    void failed(String username, String address) {
        count(account(username), settings.maxFailures());
        count(address(address), settings.maxFailuresPerIp());
    }

    void succeeded(String username) {
        db.execute("delete from plinth_login_attempt where subject = ?", account(username));
    }

    /** Clears the lock and count of an account (an administrator's unlock). */
    void clear(String username) {
        succeeded(username);
    }

    private void count(String subject, int allowed) {
        // Failures older than the longest lock no longer count: a count restarts after a quiet period.
        db.execute("insert into plinth_login_attempt as a (subject, failures, last_failure_at) values (?, 1, now()) "
                        + "on conflict (subject) do update set "
                        + "failures = case when a.last_failure_at < now() - ?::interval then 1 else a.failures + 1 end, "
                        + "last_failure_at = now()",
                subject, seconds(settings.maxLockout()));
        db.execute("update plinth_login_attempt set locked_until = now() + least(?::interval * power(2, failures - ?), "
                        + "?::interval) where subject = ? and failures >= ?",
                seconds(settings.lockout()), allowed, seconds(settings.maxLockout()), subject, allowed);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() / 1000.0 + " seconds";
    }

    private static String account(String username) {
        return "user:" + (username == null ? "" : username.length() > 150 ? username.substring(0, 150) : username);
    }

    private static String address(String address) {
        return "ip:" + address;
    }
}
