package io.plinth;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Lets Plinth's own variables stand for Spring Boot's properties: {@code PLINTH_DATABASE_URL},
 * {@code PLINTH_DATABASE_USERNAME} and {@code PLINTH_DATABASE_PASSWORD} for {@code spring.datasource.*}, and
 * {@code PLINTH_OTLP_TRACING_ENDPOINT} for the OTLP span exporter's endpoint. Only values that are set and not blank
 * are mapped, so an unset variable never turns into an empty user name or an empty (invalid) endpoint, and an explicit
 * Spring Boot setting still wins.
 */
class EnvironmentAliases implements EnvironmentPostProcessor {

    private static final Map<String, String> ALIASES = Map.of(
            "PLINTH_DATABASE_URL", "spring.datasource.url",
            "PLINTH_DATABASE_USERNAME", "spring.datasource.username",
            "PLINTH_DATABASE_PASSWORD", "spring.datasource.password",
            "PLINTH_OTLP_TRACING_ENDPOINT", "management.opentelemetry.tracing.export.otlp.endpoint");

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
            environment.getPropertySources().addLast(new MapPropertySource("plinthAliases", mapped));
        }
    }
}
