package io.plinth.webhooks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A subscription: an endpoint and the event types it receives.
 *
 * @param eventTypes patterns of event types: exact ({@code ENTITY_CREATED}), a prefix with {@code *}
 *                   ({@code ENTITY_*}), or {@code *} for every event
 * @param secret     the HMAC-SHA256 key deliveries are signed with (shown to the client once, at creation)
 * @param headers    custom headers sent with every delivery (e.g. an authorization token of the receiver)
 */
public record Webhook(UUID id, String url, List<String> eventTypes, String secret, boolean active,
                      Map<String, String> headers, String description, long version, OffsetDateTime createdAt,
                      OffsetDateTime updatedAt, String createdBy) {

    /** A valid event-type pattern: upper-case letters, digits and underscores, optionally ending in {@code *}. */
    public static final Pattern EVENT_TYPE_PATTERN = Pattern.compile("\\*|[A-Z][A-Z0-9_]{0,99}\\*?");

    public Webhook {
        eventTypes = List.copyOf(eventTypes);
        headers = Map.copyOf(headers);
    }

    /** Whether an event of this type goes to this subscription. */
    public boolean wants(String eventType) {
        for (String pattern : eventTypes) {
            if (pattern.equals("*") || pattern.equals(eventType)
                    || (pattern.endsWith("*") && eventType.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
