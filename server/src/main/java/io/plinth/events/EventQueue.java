package io.plinth.events;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where events go: the public events queue and, when webhooks are on, the webhooks queue beside it (the relay sends
 * every event to both, as an SNS topic would fan out, so that Plinth's own webhook dispatcher never takes messages
 * from consumers of the events queue).
 *
 * @param client           the SQS client
 * @param queueUrl         the events queue's URL
 * @param fifo             whether it is a FIFO queue (events of one record keep their order)
 * @param embedded         whether it is Plinth's embedded queue
 * @param webhooksQueueUrl the webhooks queue's URL, or null when webhooks are off
 * @param webhooksFifo     whether the webhooks queue is a FIFO queue
 */
public record EventQueue(SqsClient client, String queueUrl, boolean fifo, boolean embedded, String webhooksQueueUrl,
                         boolean webhooksFifo) implements AutoCloseable {

    public EventQueue(SqsClient client, String queueUrl, boolean fifo, boolean embedded) {
        this(client, queueUrl, fifo, embedded, null, false);
    }

    /** Whether there is a queue at all (events may be switched off). */
    public boolean isConfigured() {
        return client != null && queueUrl != null;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
