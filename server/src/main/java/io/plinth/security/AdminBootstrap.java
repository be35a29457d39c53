package io.plinth.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On a first start with no users, creates {@code admin}: with {@code plinth.security.admin-password} when set, else
 * with a random password printed once in the log (the only secret Plinth ever logs, and only when nobody chose one).
 * Then makes the configured admin API key work, when one is configured.
 */
@Component
@Order(0)
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    private final Users users;
    private final ApiKeys apiKeys;
    private final SecurityProperties properties;

    AdminBootstrap(Users users, ApiKeys apiKeys, SecurityProperties properties) {
        this.users = users;
        this.apiKeys = apiKeys;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        String configured = properties.adminPassword();
        if (configured != null && configured.length() < Users.MIN_PASSWORD_LENGTH) {
            throw new IllegalStateException("plinth.security.admin-password (PLINTH_ADMIN_PASSWORD) must have at least "
                    + Users.MIN_PASSWORD_LENGTH + " characters");
        }
        String password = configured != null ? configured : Tokens.random().substring(0, 24);
        if (users.createFirstAdmin(password)) {
            if (configured != null) {
                log.info("Created the user admin with the password from PLINTH_ADMIN_PASSWORD");
            } else {
                log.warn("Created the user admin with the generated password {} (shown only now: log in and change it,"
                        + " or set PLINTH_ADMIN_PASSWORD before the first start)", password);
            }
        }
        if (properties.adminApiKey() != null) {
            apiKeys.ensureConfigured(properties.adminApiKey());
        }
    }
}
