package io.plinth;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Lets {@code PLINTH_DATABASE_URL}, {@code PLINTH_DATABASE_USERNAME} and {@code PLINTH_DATABASE_PASSWORD} stand for
 * Spring Boot's {@code spring.datasource.*}. Only values that are set and not blank are mapped, so an unset variable
 * never turns into an empty user name, and an explicit {@code spring.datasource.*} setting still wins.
 */
class DatabaseEnvironment implements EnvironmentPostProcessor {

    private static final Map<String, String> ALIASES = Map.of(
            "PLINTH_DATABASE_URL", "spring.datasource.url",
            "PLINTH_DATABASE_USERNAME", "spring.datasource.username",
            "PLINTH_DATABASE_PASSWORD", "spring.datasource.password");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> mapped = new LinkedHashMap<>();
        ALIASES.forEach((alias, property) -> {
            String value = environment.getProperty(alias);
            if (StringUtils.hasText(value)) {
                mapped.put(property, value);
            }
        });
        if (!mapped.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("plinthDatabaseAliases", mapped));
        }
    }
}
