package io.plinth.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for tests: real requests over loopback, no Spring test client in between. */
public final class Http {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String authorization;

    /** A client that authenticates as admin with the test instance's configured API key. */
    public Http(int port) {
        this(port, "Bearer " + TestCredentials.ADMIN_KEY);
    }

    private Http(int port, String authorization) {
        this.base = "http://localhost:" + port;
        this.authorization = authorization;
    }

    /** A client that sends this API key (or any Authorization value: pass "Bearer ..."). */
    public static Http withAuthorization(int port, String authorization) {
        return new Http(port, authorization);
    }

    /** The same server, without credentials. */
    public Http anonymous() {
        return new Http(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), null);
    }

    /** The same server with another API key. */
    public Http withKey(String apiKey) {
        return new Http(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), "Bearer " + apiKey);
    }

    public String base() {
        return base;
    }

    public Response get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    /** Secrets in a response (new keys, session cookies, CSRF tokens) go to the ledger the log scan reads. */
    private static void recordSecrets(HttpResponse<String> response) {
        response.headers().allValues("Set-Cookie").forEach(cookie -> {
            int equals = cookie.indexOf('=');
            int end = cookie.indexOf(';');
            SecretsLedger.record(cookie.substring(equals + 1, end < 0 ? cookie.length() : end));
        });
        String body = response.body();
        if (body != null && (body.contains("\"secret\"") || body.contains("\"csrfToken\""))) {
            try {
                JsonNode json = JSON.readTree(body);
                for (String name : new String[] {"secret", "csrfToken"}) {
                    if (json.has(name)) {
                        SecretsLedger.record(json.get(name).asString());
                    }
                }
            } catch (RuntimeException notJson) {
                // not a JSON body: nothing to record
            }
        }
    }

    /** Passwords sent in a body go to the ledger too. */
    private static void recordPasswords(String json) {
        if (json.contains("assword")) {
            try {
                JsonNode body = JSON.readTree(json);
                for (String name : new String[] {"password", "currentPassword", "newPassword"}) {
                    if (body.has(name) && body.get(name).isString()) {
                        SecretsLedger.record(body.get(name).asString());
                    }
                }
            } catch (RuntimeException notJson) {
                // not JSON: nothing to record
            }
        }
    }

    public Response postJson(String path, String json, String... headers) {
        recordPasswords(json);
        return send(request(path, withContentType(headers)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path, byte[] body, String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Response method(String method, String path, String... headers) {
        return send(request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            recordSecrets(response);
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        if (authorization != null) {
            builder.setHeader("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Authorization") || headers[i].equalsIgnoreCase("Cookie")) {
                builder.setHeader(headers[i], headers[i + 1]);
            } else {
                builder.header(headers[i], headers[i + 1]);
            }
        }
        return builder;
    }

    private static String[] withContentType(String[] headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) {
                return headers;
            }
        }
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/json";
        return all;
    }

    /** A response with its body parsed as JSON when it is JSON. */
    public record Response(int status, Map<String, java.util.List<String>> headers, String text) {
        public JsonNode json() {
            return JSON.readTree(text);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    public static JsonNode parse(String json) {
        return JSON.readTree(json);
    }
}
