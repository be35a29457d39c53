package io.plinth.schema;

import io.plinth.definition.ResourceCatalog;
import org.jooq.DSLContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The schema migrator, shared by start-up, the admin API and the {@code schema} command line. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SchemaProperties.class)
public class SchemaConfiguration {

    @Bean
    SchemaMigrator schemaMigrator(ResourceCatalog catalog, DSLContext dsl, SchemaProperties properties) {
        return new SchemaMigrator(catalog, dsl, properties);
    }
}
