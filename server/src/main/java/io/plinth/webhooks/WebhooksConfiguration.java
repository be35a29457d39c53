package io.plinth.webhooks;

import io.micrometer.core.instrument.MeterRegistry;
import io.plinth.events.EventQueue;
import org.jooq.DSLContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook components (ADR-018). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhooksProperties.class)
class WebhooksConfiguration {

    @Bean
    WebhookStore webhookStore(DSLContext dsl) {
        return new WebhookStore(dsl);
    }

    @Bean
    TargetGuard webhookTargetGuard(WebhooksProperties properties) {
        return new TargetGuard(properties.allowedTargets());
    }

    @Bean
    WebhookWorker webhookWorker(DSLContext dsl, WebhookStore store, WebhooksProperties properties, TargetGuard guard,
                                MeterRegistry meters) {
        return new WebhookWorker(dsl, store, properties, guard, meters);
    }

    @Bean
    WebhookDispatcher webhookDispatcher(EventQueue queue, WebhookStore store, DSLContext dsl,
                                        WebhooksProperties properties, WebhookWorker worker) {
        return new WebhookDispatcher(queue, store, dsl, properties, worker);
    }

    @Bean
    DeliveryLog webhookDeliveryLog(DSLContext dsl, WebhookWorker worker) {
        return new DeliveryLog(dsl, worker);
    }
}
