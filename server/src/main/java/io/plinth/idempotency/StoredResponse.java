package io.plinth.idempotency;

import java.util.Map;

/**
 * A response as kept for replay.
 *
 * @param status   HTTP status code
 * @param headers  the headers worth replaying (Location, ETag)
 * @param body     the body as JSON text
 * @param replayed whether this is a replay of an earlier response rather than a fresh one
 */
public record StoredResponse(int status, Map<String, String> headers, String body, boolean replayed) {
    public StoredResponse {
        headers = Map.copyOf(headers);
    }
}
