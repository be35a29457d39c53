-- Request counts per limited subject (a principal or a client address) and fixed window, shared by every instance.
-- Each instance counts locally and adds its counts here every plinth.security.rate-limit.sync-interval; the row holds
-- the total across instances. Old windows are deleted as they pass.
CREATE TABLE plinth_rate_window (
    subject VARCHAR(250) NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (subject, window_start)
);
