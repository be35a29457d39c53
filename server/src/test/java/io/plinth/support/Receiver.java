package io.plinth.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP endpoint on loopback standing in for a webhook subscriber: it answers 200, 500, slowly, or not at all
 * (hangs), as told, and records every request it answered with a 2xx and every one it saw.
 */
public final class Receiver implements AutoCloseable {

    public enum Mode { OK, FAIL, HANG }

    /** One request as received. */
    public record Call(long receivedAtMillis, Map<String, List<String>> headers, String body, int answered) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().getFirst()).orElse(null);
        }
    }

    private final HttpServer server;
    private volatile Mode mode;
    public final List<Call> accepted = new CopyOnWriteArrayList<>();
    public final List<Call> seen = new CopyOnWriteArrayList<>();

    public Receiver(Mode mode) throws IOException {
        this(mode, 0);
    }

    public Receiver(Mode mode, int port) throws IOException {
        this.mode = mode;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Mode now = this.mode;
            if (now == Mode.HANG) {
                seen.add(new Call(System.currentTimeMillis(), Map.copyOf(exchange.getRequestHeaders()), body, 0));
                try {
                    Thread.sleep(15_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            int status = now == Mode.OK ? 200 : 500;
            Call call = new Call(System.currentTimeMillis(), Map.copyOf(exchange.getRequestHeaders()), body, status);
            seen.add(call);
            if (status == 200) {
                accepted.add(call);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
