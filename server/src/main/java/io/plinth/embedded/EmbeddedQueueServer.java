package io.plinth.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SQS-compatible server (ElasticMQ) in-process on loopback, whose queues and messages are stored in PostgreSQL
 * (ElasticMQ's SQL message storage), so that messages nobody has consumed yet survive a crash or restart.
 */
public final class EmbeddedQueueServer implements AutoCloseable {

    /** Region and account the embedded server answers for; queue URLs carry them. */
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedQueueServer.class);

    /**
     * ElasticMQ's SQL storage uses one JDBC connection pool per JVM (a scalikejdbc singleton, set up once). So one JVM
     * can run embedded queues on one database only; these track which.
     */
    private static final Object STORAGE_LOCK = new Object();
    private static String storageUrl;
    private static int openQueues;

    private final ActorSystem actors;
    private final ActorRef manager;
    private final ActorRef store;
    private final int port;
    private final Path runningMarker;
    private final boolean recoveredFromCrash;
    private volatile SQSRestServer http;

    private EmbeddedQueueServer(ActorSystem actors, ActorRef manager, ActorRef store, int port, Path runningMarker,
                                boolean recoveredFromCrash) {
        this.actors = actors;
        this.manager = manager;
        this.store = store;
        this.port = port;
        this.runningMarker = runningMarker;
        this.recoveredFromCrash = recoveredFromCrash;
    }

    /**
     * Starts the server on {@code port} (0: a free one), storing messages through JDBC at {@code jdbcUrl}.
     *
     * @param stateDirectory where a marker file tells whether the previous run ended cleanly
     */
    public static EmbeddedQueueServer start(int port, String jdbcUrl, String username, String password,
                                            Path stateDirectory) {
        long started = System.nanoTime();
        Path marker = stateDirectory.resolve("queue.running");
        boolean crashed;
        try {
            Files.createDirectories(stateDirectory);
            crashed = Files.exists(marker);
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the embedded queue's state in " + stateDirectory, e);
        }
        int chosen = port == 0 ? freePort() : port;
        useStorage(jdbcUrl, username, password);
        ActorSystem actors = ActorSystem.create("plinth-queue");
        SqlQueuePersistenceConfig storage = new SqlQueuePersistenceConfig(true, "org.postgresql.Driver", jdbcUrl,
                username == null ? "" : username, password == null ? "" : password, false);
        ActorRef store = actors.actorOf(Props.create(SqlQueuePersistenceActor.class, storage,
                scala.collection.immutable.List$.MODULE$.empty()));
        ActorRef manager = actors.actorOf(Props.create(QueueManagerActor.class, new NowProvider(),
                StrictSQSLimits$.MODULE$, scala.Option.apply(store)));
        EmbeddedQueueServer server = new EmbeddedQueueServer(actors, manager, store, chosen, marker, crashed);
        server.startHttp();
        try {
            Patterns.ask(store, new QueueEvent.Restore(manager), Duration.ofSeconds(60))
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("The embedded queue could not restore its stored messages", e);
        }
        log.atInfo().addKeyValue("endpoint", server.endpoint())
                .log("Embedded SQS-compatible queue (ElasticMQ) at {} in {} ms", server.endpoint(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return server;
    }

    /**
     * Whether the previous run stopped without closing the queue (a crash). ElasticMQ stores messages shortly after
     * acknowledging them, so the last ones acknowledged before a crash may be missing: the events component sends
     * those again.
     */
    public boolean recoveredFromCrash() {
        return recoveredFromCrash;
    }

    /** The SQS endpoint, e.g. {@code http://localhost:9324}. */
    public String endpoint() {
        return "http://localhost:" + port;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** Stops answering HTTP while keeping every queue and message: to clients it looks like an outage. */
    public synchronized void stopHttp() {
        if (http != null) {
            http.stopAndWait();
            http = null;
        }
    }

    /** Answers HTTP again on the same port after {@link #stopHttp()}. */
    public synchronized void startHttp() {
        if (http == null) {
            http = SQSRestServerBuilder.withActorSystem(actors)
                    .withQueueManagerActor(manager)
                    .withQueueEventListener(store)
                    .withInterface("127.0.0.1")
                    .withPort(port)
                    .withServerAddress(new NodeAddress("http", "localhost", port, ""))
                    .withAWSRegion(REGION)
                    .withAWSAccountId(ACCOUNT)
                    .start();
            http.waitUntilStarted();
        }
    }

    /** Points ElasticMQ's JVM-wide storage pool at this database, refusing a second database while another is in use. */
    private static void useStorage(String jdbcUrl, String username, String password) {
        synchronized (STORAGE_LOCK) {
            if (storageUrl != null && !storageUrl.equals(jdbcUrl)) {
                throw new IllegalStateException("This JVM already runs an embedded queue stored in another database ("
                        + storageUrl + "); ElasticMQ's storage allows one database per JVM. Configure an SQS queue "
                        + "(plinth.events.sqs.queue-url) or switch events off (plinth.events.enabled=false).");
            }
            if (storageUrl == null) {
                try {
                    Class.forName("org.postgresql.Driver");
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("The PostgreSQL driver is missing", e);
                }
                scalikejdbc.ConnectionPool$ pools = scalikejdbc.ConnectionPool$.MODULE$;
                String user = username == null ? "" : username;
                String secret = password == null ? "" : password;
                scalikejdbc.ConnectionPoolSettings settings = pools.singleton$default$4();
                pools.singleton(jdbcUrl, user, secret, settings, pools.singleton$default$5(jdbcUrl, user, secret, settings));
                storageUrl = jdbcUrl;
            }
            openQueues++;
        }
    }

    @Override
    public void close() {
        synchronized (STORAGE_LOCK) {
            if (--openQueues == 0) {
                storageUrl = null;
            }
        }
        try {
            stopHttp();
        } finally {
            actors.terminate();
            try {
                actors.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
                Files.deleteIfExists(runningMarker);
            } catch (Exception e) {
                log.warn("The embedded queue did not stop cleanly: {}", e.toString());
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for the embedded queue", e);
        }
    }
}
