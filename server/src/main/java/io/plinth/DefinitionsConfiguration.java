package io.plinth;

import io.plinth.definition.DefinitionLoader;
import io.plinth.definition.ResourceCatalog;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
     * @param definitions one or more file paths or {@code classpath:} locations, comma-separated (env
     *                    {@code PLINTH_DEFINITIONS}); default: the bundled example, the design template's own entity
     */
    @ConfigurationProperties("plinth")
    record DefinitionsProperties(String definitions) {
        static final String BUNDLED = "classpath:plinth/entities.yaml";

        DefinitionsProperties {
            definitions = definitions == null || definitions.isBlank() ? BUNDLED : definitions;
        }

        List<String> locations() {
            return Arrays.stream(definitions.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    @Bean
    ResourceCatalog resourceCatalog(DefinitionsProperties properties, ResourceLoader loader) {
        List<Reader> readers = new ArrayList<>();
        try {
            List<DefinitionLoader.Source> sources = new ArrayList<>();
            for (String location : properties.locations()) {
                Resource resource = loader.getResource(location.startsWith("classpath:") || location.startsWith("file:")
                        ? location : "file:" + location);
                if (!resource.exists()) {
                    throw new IllegalStateException("The resource definitions file " + location
                            + " (plinth.definitions) does not exist");
                }
                Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8);
                readers.add(reader);
                sources.add(new DefinitionLoader.Source(location, reader));
            }
            return DefinitionLoader.load(sources);
        } catch (IOException e) {
            throw new UncheckedIOException("A resource definitions file cannot be read: " + properties.definitions(), e);
        } finally {
            readers.forEach(DefinitionsConfiguration::closeQuietly);
        }
    }

    private static void closeQuietly(Reader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close of a read-only stream loses nothing
        }
    }
}
