package io.plinth.schema;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * At start-up, before the server accepts requests, makes sure the database matches the declarations. It plans (under
 * the schema lock, in one transaction): no difference, nothing to do; a plan of safe steps is applied when
 * {@code plinth.schema.auto-apply} is on (the default with the embedded database, where the first start creates every
 * table this way); anything else stops start-up with the plan printed, for review and {@code schema apply}.
 */
@Component
public class SchemaInitializer implements InitializingBean {

    private final SchemaMigrator migrator;
    private final boolean autoApply;

    public SchemaInitializer(SchemaMigrator migrator, SchemaProperties properties, Environment environment) {
        this.migrator = migrator;
        this.autoApply = properties.autoApply() != null ? properties.autoApply()
                : !StringUtils.hasText(environment.getProperty("spring.datasource.url"));
    }

    @Override
    public void afterPropertiesSet() {
        long started = System.nanoTime();
        SchemaMigrator.Applied result = migrator.startUp(autoApply);
        log.atInfo().addKeyValue("schemaVersion", result.applied() ? result.plan().version() : null)
                .log("Resource tables checked against the declarations in {} ms: {}", (System.nanoTime() - started) / 1_000_000,
                        result.applied() ? "applied schema version " + result.plan().version() : "no change");
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SchemaInitializer.class);
}
