package io.plinth.events;

import io.plinth.embedded.EmbeddedQueueServer;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS client and queue events go to: the configured SQS queue, or the embedded one (created with its dead-letter
 * queue and redrive policy on first start).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventsProperties.class)
class EventsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EventsConfiguration.class);

    @Bean
    EventQueue eventQueue(EventsProperties properties, ObjectProvider<EmbeddedQueueServer> embedded, DSLContext dsl,
                          org.springframework.core.env.Environment environment) {
        // Webhooks (their own package) take events from a queue of their own, fed by the relay beside the events queue.
        boolean webhooks = environment.getProperty("plinth.webhooks.enabled", Boolean.class, true);
        EmbeddedQueueServer server = embedded.getIfAvailable();
        if (server != null) {
            if (server.recoveredFromCrash()) {
                resendRecent(dsl, properties.embedded().crashResendWindow());
            }
            SqsClient client = client(URI.create(server.endpoint()), Region.of(EmbeddedQueueServer.REGION), true);
            String dlqUrl = client.createQueue(b -> b.queueName(properties.embedded().deadLetterQueue())).queueUrl();
            String dlqArn = client.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String redrive = "{\"maxReceiveCount\":\"" + properties.embedded().maxReceiveCount()
                    + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}";
            String queueUrl = client.createQueue(b -> b.queueName(properties.embedded().queue())
                    .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
            log.atInfo().addKeyValue("endpoint", server.endpoint()).addKeyValue("queueUrl", queueUrl)
                    .log("Events go to the embedded queue {} (endpoint {}); dead letters to {}", queueUrl,
                            server.endpoint(), dlqUrl);
            String webhooksUrl = null;
            if (webhooks) {
                String name = properties.embedded().webhooksQueue();
                Map<QueueAttributeName, String> attributes = new java.util.HashMap<>();
                if (name.endsWith(".fifo")) {
                    attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
                }
                webhooksUrl = client.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
                log.atInfo().addKeyValue("queueUrl", webhooksUrl).log("Webhooks take events from {}", webhooksUrl);
            }
            return new EventQueue(client, queueUrl, queueUrl.endsWith(".fifo"), true, webhooksUrl,
                    webhooksUrl != null && webhooksUrl.endsWith(".fifo"));
        }
        EventsProperties.Sqs sqs = properties.sqs();
        if (!StringUtils.hasText(sqs.queueUrl())) {
            return new EventQueue(null, null, false, false);
        }
        Region region = StringUtils.hasText(sqs.region()) ? Region.of(sqs.region()) : defaultRegion();
        SqsClient client = client(StringUtils.hasText(sqs.endpoint()) ? URI.create(sqs.endpoint()) : null, region, false);
        log.atInfo().addKeyValue("queueUrl", sqs.queueUrl()).log("Events go to the SQS queue {}", sqs.queueUrl());
        String webhooksUrl = webhooks && StringUtils.hasText(sqs.webhooksQueueUrl()) ? sqs.webhooksQueueUrl() : null;
        if (webhooksUrl != null) {
            log.atInfo().addKeyValue("queueUrl", webhooksUrl).log("Webhooks take events from the SQS queue {}", webhooksUrl);
        }
        return new EventQueue(client, sqs.queueUrl(), sqs.queueUrl().endsWith(".fifo"), false, webhooksUrl,
                webhooksUrl != null && webhooksUrl.endsWith(".fifo"));
    }

    /**
     * After a crash, sends again the events sent in the last moments before it: the embedded queue may have
     * acknowledged them without having stored them yet. Consumers see duplicates with the same eventId.
     */
    private static void resendRecent(DSLContext dsl, Duration window) {
        OffsetDateTime lastSent = dsl.select(DSL.max(OutboxWriter.SENT_AT)).from(OutboxWriter.OUTBOX).fetchOne(0,
                OffsetDateTime.class);
        if (lastSent == null) {
            return;
        }
        int count = dsl.update(OutboxWriter.OUTBOX).set(OutboxWriter.SENT_AT, (OffsetDateTime) null)
                .where(OutboxWriter.SENT_AT.ge(lastSent.minus(window))).execute();
        log.warn("The embedded queue stopped without closing (a crash); sending the last {} events again (sent within {} "
                + "of the crash), as the queue may not have stored them", count, window);
    }

    private static SqsClient client(URI endpoint, Region region, boolean embedded) {
        SqsClientBuilder builder = SqsClient.builder()
                .region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(15)))
                .credentialsProvider(embedded
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create("plinth", "plinth"))
                        : DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private static Region defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException e) {
            return Region.US_EAST_1;
        }
    }
}
