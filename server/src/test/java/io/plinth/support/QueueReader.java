package io.plinth.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import tools.jackson.databind.JsonNode;

/** Reads event messages from a real SQS-compatible queue, deleting what it reads, as a consumer would. */
public final class QueueReader {

    private final SqsClient client;
    private final String queueUrl;
    private final List<Message> seen = new ArrayList<>();

    public QueueReader(SqsClient client, String queueUrl) {
        this.client = client;
        this.queueUrl = queueUrl;
    }

    /** Receives until at least {@code count} messages matching {@code wanted} were seen, or the timeout passes. */
    public List<JsonNode> await(Predicate<JsonNode> wanted, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matching(wanted).size() < count && System.nanoTime() < deadline) {
            List<Message> batch = client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            for (Message message : batch) {
                seen.add(message);
                client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return matching(wanted);
    }

    /**
     * Receives until every record id in {@code recordIds} has at least one event (duplicates allowed), or the timeout
     * passes; returns all events about those records.
     */
    public List<JsonNode> awaitRecords(java.util.Set<String> recordIds, Duration timeout) {
        Predicate<JsonNode> wanted = e -> recordIds.contains(e.path("payload").path("id").asString(null));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            java.util.Set<String> seenIds = new java.util.HashSet<>();
            matching(wanted).forEach(e -> seenIds.add(e.path("payload").path("id").asString()));
            if (seenIds.containsAll(recordIds)) {
                break;
            }
            await(wanted, matching(wanted).size() + 1, Duration.ofSeconds(2));
        }
        return matching(wanted);
    }

    /** Every message seen so far that matches. */
    public List<JsonNode> matching(Predicate<JsonNode> wanted) {
        return seen.stream().map(m -> Http.parse(m.body())).filter(wanted).toList();
    }

    /** The raw messages seen so far (attributes included). */
    public List<Message> messages() {
        return List.copyOf(seen);
    }

    /** Whether an event is about this record. */
    public static Predicate<JsonNode> about(String recordId) {
        return event -> recordId.equals(event.path("payload").path("id").asString(null));
    }

    /** The published event contract, docs/events/event.schema.json. */
    public static String eventSchema() {
        try {
            return Files.readString(Path.of("..", "docs", "events", "event.schema.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
