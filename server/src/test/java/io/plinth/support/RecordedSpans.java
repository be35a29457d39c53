package io.plinth.support;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Adds an in-memory span exporter beside any configured one, so tests can see every span Plinth finishes. */
@TestConfiguration(proxyBeanMethods = false)
public class RecordedSpans {

    @Bean
    InMemorySpanExporter recordedSpans() {
        return InMemorySpanExporter.create();
    }
}
