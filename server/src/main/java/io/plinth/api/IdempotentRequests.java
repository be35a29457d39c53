package io.plinth.api;

import io.plinth.idempotency.IdempotencyKeys;
import io.plinth.idempotency.StoredResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP side of Idempotency-Key: fingerprints the request (method, path, query and the body's JSON with keys in a
 * canonical order, so key order and whitespace do not matter), and turns responses into replayable form and back.
 */
@Component
class IdempotentRequests {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final IdempotencyKeys keys;
    private final JsonMapper json = JsonMapper.builder().build();

    private final io.plinth.security.CurrentPrincipal current;

    IdempotentRequests(IdempotencyKeys keys, io.plinth.security.CurrentPrincipal current) {
        this.keys = keys;
        this.current = current;
    }

    /** Runs {@code work} directly without a key, or at most once per key with one. */
    ResponseEntity<ObjectNode> run(HttpServletRequest request, String key, byte[] body,
                                   Supplier<ResponseEntity<ObjectNode>> work) {
        if (key == null) {
            return work.get();
        }
        // One namespace per principal across every route: reusing a key on another route is a different request,
        // refused as such; two principals never see each other's keys or responses.
        String principal = current.get().name();
        String scope = "principal:" + (principal.length() <= 180 ? principal
                : java.util.HexFormat.of().formatHex(sha256(principal.getBytes(StandardCharsets.UTF_8))));
        StoredResponse response = keys.execute(scope, key, fingerprint(request, body), () -> stored(work.get()));
        HttpHeaders headers = new HttpHeaders();
        response.headers().forEach(headers::set);
        if (response.replayed()) {
            headers.set(REPLAYED_HEADER, "true");
        }
        return ResponseEntity.status(response.status()).headers(headers).body((ObjectNode) json.readTree(response.body()));
    }

    private StoredResponse stored(ResponseEntity<ObjectNode> response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[] {HttpHeaders.LOCATION, HttpHeaders.ETAG}) {
            String value = response.getHeaders().getFirst(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return new StoredResponse(response.getStatusCode().value(), headers, json.writeValueAsString(response.getBody()),
                false);
    }

    private String fingerprint(HttpServletRequest request, byte[] body) {
        StringBuilder text = new StringBuilder(request.getMethod()).append(' ').append(request.getRequestURI())
                .append('?').append(new TreeMap<>(request.getParameterMap()).entrySet().stream()
                        .map(e -> e.getKey() + "=" + String.join(",", e.getValue())).toList())
                .append('\n');
        try {
            text.append(json.writeValueAsString(canonical(json.readTree(body))));
        } catch (JacksonException e) {
            text.append(new String(body, StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(sha256(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The same JSON with every object's keys sorted. */
    private static Object canonical(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            return sorted;
        }
        if (node.isArray()) {
            return node.valueStream().map(IdempotentRequests::canonical).toList();
        }
        return node;
    }
}
