package io.plinth;

import io.plinth.definition.DefinitionLoader;
import io.plinth.definition.ResourceCatalog;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/** Loads the resource definitions named by {@code plinth.definitions} once, at start-up. */
@Configuration(proxyBeanMethods = false)
class DefinitionsConfiguration {

    /**
     * Where the definitions are.
     *
     * @param definitions a file path or a {@code classpath:} location (env {@code PLINTH_DEFINITIONS}); default: the
     *                    bundled example, the design template's own entity
     */
    @ConfigurationProperties("plinth")
    record DefinitionsProperties(String definitions) {
        static final String BUNDLED = "classpath:plinth/entities.yaml";

        DefinitionsProperties {
            definitions = definitions == null || definitions.isBlank() ? BUNDLED : definitions;
        }
    }

    @Bean
    ResourceCatalog resourceCatalog(DefinitionsProperties properties, ResourceLoader loader) {
        String location = properties.definitions();
        Resource resource = loader.getResource(location.contains(":") && !location.startsWith("/")
                ? location : "file:" + location);
        if (!resource.exists()) {
            throw new IllegalStateException("The resource definitions file " + location
                    + " (plinth.definitions) does not exist");
        }
        try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
            return DefinitionLoader.load(location, reader);
        } catch (IOException e) {
            throw new UncheckedIOException("The resource definitions file " + location + " cannot be read", e);
        }
    }
}
