package io.plinth.events;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where events go.
 *
 * @param client   the SQS client
 * @param queueUrl the queue's URL
 * @param fifo     whether it is a FIFO queue (events of one record keep their order)
 * @param embedded whether it is Plinth's embedded queue
 */
public record EventQueue(SqsClient client, String queueUrl, boolean fifo, boolean embedded) implements AutoCloseable {

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
