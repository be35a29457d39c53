package io.plinth.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Event publishing settings ({@code plinth.events.*}).
 *
 * @param enabled   whether changes are published at all (default true; per resource: {@code events.enabled})
 * @param sqs       an external SQS queue; when its queue URL is empty, the embedded queue is used
 * @param embedded  the embedded queue
 * @param relay     the relay's pace
 * @param retention how long sent events stay in the outbox as history (default 30 days)
 */
@ConfigurationProperties("plinth.events")
public record EventsProperties(Boolean enabled, Sqs sqs, Embedded embedded, Relay relay, Duration retention) {

    public EventsProperties {
        enabled = enabled == null || enabled;
        sqs = sqs == null ? new Sqs(null, null, null, null) : sqs;
        embedded = embedded == null ? new Embedded(null, null, null, null, null, null) : embedded;
        relay = relay == null ? new Relay(null, null, null, null) : relay;
        retention = retention == null ? Duration.ofDays(30) : retention;
    }

    /**
     * An SQS (or SQS-compatible) queue; credentials come from the standard AWS provider chain.
     *
     * @param queueUrl the queue's URL; a name ending in {@code .fifo} makes it a FIFO queue
     * @param region   the AWS region (default: the provider chain's, else us-east-1)
     * @param endpoint an endpoint override for SQS-compatible servers, or null for AWS
     * @param webhooksQueueUrl the queue the relay also sends every event to for Plinth's webhooks (a FIFO queue keeps
     *                 each record's events in order); without it, webhooks are off with an external SQS
     */
    public record Sqs(String queueUrl, String region, String endpoint, String webhooksQueueUrl) {
    }

    /**
     * The embedded queue.
     *
     * @param port            its port (0, the default: a free one)
     * @param queue           the events queue's name (default {@code plinth-events})
     * @param deadLetterQueue the dead-letter queue's name (default {@code plinth-events-dlq})
     * @param maxReceiveCount receives before a message moves to the dead-letter queue (default 5)
     * @param crashResendWindow after a crash, events sent this long before it are sent again (default 60 s)
     * @param webhooksQueue   the webhooks queue's name (default {@code plinth-webhooks.fifo}: FIFO, a message group
     *                        per record, so each record's events reach the dispatcher in order)
     */
    public record Embedded(Integer port, String queue, String deadLetterQueue, Integer maxReceiveCount,
                           Duration crashResendWindow, String webhooksQueue) {
        public Embedded {
            webhooksQueue = webhooksQueue == null ? "plinth-webhooks.fifo" : webhooksQueue;
            crashResendWindow = crashResendWindow == null ? Duration.ofSeconds(60) : crashResendWindow;
            port = port == null ? 0 : port;
            queue = queue == null ? "plinth-events" : queue;
            deadLetterQueue = deadLetterQueue == null ? "plinth-events-dlq" : deadLetterQueue;
            maxReceiveCount = maxReceiveCount == null ? 5 : maxReceiveCount;
        }
    }

    /**
     * The relay's pace.
     *
     * @param batchSize    events claimed per database round trip (sent in SQS batches of 10; default 100)
     * @param pollInterval longest wait between checks when no notification comes (default 1 s)
     * @param minBackoff   first wait after a failed send (default 200 ms)
     * @param maxBackoff   longest wait between retries while SQS is unavailable (default 30 s)
     */
    public record Relay(Integer batchSize, Duration pollInterval, Duration minBackoff, Duration maxBackoff) {
        public Relay {
            batchSize = batchSize == null ? 100 : batchSize;
            pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
            minBackoff = minBackoff == null ? Duration.ofMillis(200) : minBackoff;
            maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
        }
    }
}
