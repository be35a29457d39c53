package io.plinth.webhooks;

import io.plinth.events.EventQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes events off the {@code plinth-webhooks} queue (long polling, batches of 10) and schedules one delivery per
 * active subscription that wants the event's type, in one transaction; only then deletes the messages. A message
 * received twice schedules nothing new (one delivery per subscription and event id). Every instance runs one.
 */
public class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventQueue queue;
    private final WebhookStore store;
    private final DSLContext dsl;
    private final WebhooksProperties properties;
    private final WebhookWorker worker;
    private volatile boolean running;
    private volatile Thread thread;

    public WebhookDispatcher(EventQueue queue, WebhookStore store, DSLContext dsl, WebhooksProperties properties,
                             WebhookWorker worker) {
        this.queue = queue;
        this.store = store;
        this.dsl = dsl;
        this.properties = properties;
        this.worker = worker;
    }

    @Override
    public void start() {
        if (running || queue.webhooksQueueUrl() == null) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("plinth-webhook-dispatcher").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return -90;
    }

    private void run() {
        long backoff = 200;
        while (running) {
            try {
                List<Message> messages = queue.client().receiveMessage(b -> b.queueUrl(queue.webhooksQueueUrl())
                        .maxNumberOfMessages(10).messageAttributeNames("traceparent").waitTimeSeconds((int) Math.min(20, properties.pollWait().toSeconds()))
                        .visibilityTimeout((int) properties.visibilityTimeout().toSeconds())).messages();
                if (!messages.isEmpty()) {
                    schedule(messages);
                }
                backoff = 200;
            } catch (SdkException | org.jooq.exception.DataAccessException e) {
                if (!running) {
                    return;
                }
                log.atWarn().addKeyValue("error", e.getMessage())
                        .log("Could not take events off the webhooks queue; retrying in {} ms", backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("The webhook dispatcher failed; retrying", e);
                sleep(1000);
            }
        }
    }

    private void schedule(List<Message> messages) {
        List<Webhook> subscriptions = store.active();
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        int scheduled = dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            int count = 0;
            for (Message message : messages) {
                JsonNode event;
                UUID eventId;
                UUID recordId;
                try {
                    event = JSON.readTree(message.body());
                    eventId = UUID.fromString(event.path("eventId").asString());
                    recordId = UUID.fromString(event.path("payload").path("id").asString());
                } catch (RuntimeException notAnEvent) {
                    log.atWarn().addKeyValue("messageId", message.messageId())
                            .log("Dropping a webhooks queue message that is not a Plinth event");
                    done.add(entry(message));
                    continue;
                }
                String type = event.path("type").asString("");
                var traceParent = message.messageAttributes().get("traceparent");
                String traceParentValue = traceParent == null ? null : traceParent.stringValue();
                for (Webhook webhook : subscriptions) {
                    if (webhook.wants(type)) {
                        count += tx.execute("INSERT INTO plinth_webhook_delivery (id, webhook_id, event_id, event_type, "
                                        + "resource, record_id, record_version, body, trace_parent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                        + "ON CONFLICT (webhook_id, event_id) DO NOTHING",
                                UUID.randomUUID(), webhook.id(), eventId, type, event.path("resource").asString(""),
                                recordId, event.path("recordVersion").asLong(), message.body(), traceParentValue);
                    }
                }
                done.add(entry(message));
            }
            return count;
        });
        queue.client().deleteMessageBatch(b -> b.queueUrl(queue.webhooksQueueUrl()).entries(done));
        if (scheduled > 0) {
            worker.wake();
        }
    }

    private static DeleteMessageBatchRequestEntry entry(Message message) {
        return DeleteMessageBatchRequestEntry.builder().id(message.messageId().replaceAll("[^A-Za-z0-9_-]", "_"))
                .receiptHandle(message.receiptHandle()).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
