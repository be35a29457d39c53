package io.plinth;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The first thing to stop on SIGTERM. Readiness is already DOWN by then (Spring Boot reports REFUSING_TRAFFIC as soon
 * as the context starts closing); this keeps serving for {@code plinth.shutdown.readiness-delay} so that a load
 * balancer sees it and sends no new requests before the web server stops accepting them. Then the web server finishes
 * its in-flight requests ({@code server.shutdown: graceful}), and the outbox relay sends what they wrote.
 */
@Component
class ShutdownGrace implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownGrace.class);

    private final Duration readinessDelay;
    private volatile boolean running;

    ShutdownGrace(@Value("${plinth.shutdown.readiness-delay:0s}") Duration readinessDelay) {
        this.readinessDelay = readinessDelay;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (readinessDelay.isPositive()) {
            log.info("Shutting down: readiness is DOWN; still serving for {} ms so that load balancers move away",
                    readinessDelay.toMillis());
            try {
                Thread.sleep(readinessDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before everything else, the web server included. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
