package io.plinth.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A closed-model load run: {@code concurrency} clients, each sending its next request as soon as the last one
 * answered, for a warm-up and then a measured period. Latencies go to an HdrHistogram corrected for coordinated
 * omission: each client's expected interval is its own mean cycle time during the warm-up, so a stall that holds a
 * client back is counted as the requests it would have sent.
 */
final class LoadRun {

    /** One HTTP request a workload wants sent. */
    record Call(String method, String path, String body, String contentType, String ifMatch, int key) {
    }

    /** What a workload sends next, and what it learns from an answer. */
    interface Workload {
        Call next(int client, int clients, ThreadLocalRandom random);

        default void answered(Call call, HttpResponse<Void> response) {
        }
    }

    /** The figures of one run. */
    record Result(long requests, double seconds, long errors, Histogram latencies, double serverCpuCores,
                  double databaseCpuCores, double serverRssMiB, double serverPeakRssMiB) {
        double perSecond() {
            return requests / seconds;
        }

        double percentileMillis(double percentile) {
            return latencies.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private LoadRun() {
    }

    static Result run(HttpClient client, List<String> bases, Workload workload, int concurrency, Duration warmup,
                      Duration duration, List<Long> serverPids, Long postmasterPid) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        double[] cpuAtStart = new double[2];
        Thread sampler = Thread.ofVirtual().start(() -> {
            sleepUntil(measureFrom);
            cpuAtStart[0] = serverPids.stream().mapToDouble(ProcessStats::cpuSeconds).sum();
            cpuAtStart[1] = postmasterPid == null ? 0 : ProcessStats.treeCpuSeconds(postmasterPid);
        });
        for (int c = 0; c < concurrency; c++) {
            int clientNumber = c;
            Histogram histogram = new Histogram(60_000_000L, 3);
            histograms.add(histogram);
            threads.add(Thread.ofVirtual().start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long warmupCount = 0;
                long expectedIntervalMicros = 0;
                int sent = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        break;
                    }
                    boolean measuring = now >= measureFrom;
                    if (measuring && expectedIntervalMicros == 0) {
                        expectedIntervalMicros = warmupCount == 0 ? 0 : Math.max(1, warmup.toNanos() / 1000 / warmupCount);
                    }
                    Call call = workload.next(clientNumber, concurrency, random);
                    String base = bases.get((clientNumber + sent++) % bases.size());
                    long began = System.nanoTime();
                    boolean failed;
                    try {
                        HttpResponse<Void> response = client.send(request(base, call), HttpResponse.BodyHandlers.discarding());
                        failed = response.statusCode() >= 400;
                        workload.answered(call, response);
                    } catch (IOException e) {
                        failed = true;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    long micros = Math.max(1, (System.nanoTime() - began) / 1000);
                    if (measuring) {
                        requests.incrementAndGet();
                        if (failed) {
                            errors.incrementAndGet();
                        }
                        if (expectedIntervalMicros > 0) {
                            histogram.recordValueWithExpectedInterval(Math.min(micros, 60_000_000L), expectedIntervalMicros);
                        } else {
                            histogram.recordValue(Math.min(micros, 60_000_000L));
                        }
                    } else {
                        warmupCount++;
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        sampler.join();
        double seconds = duration.toNanos() / 1e9;
        double serverCpu = serverPids.stream().mapToDouble(ProcessStats::cpuSeconds).sum() - cpuAtStart[0];
        double databaseCpu = postmasterPid == null ? 0 : ProcessStats.treeCpuSeconds(postmasterPid) - cpuAtStart[1];
        Histogram all = new Histogram(60_000_000L, 3);
        histograms.forEach(all::add);
        return new Result(requests.get(), seconds, errors.get(), all, serverCpu / seconds, databaseCpu / seconds,
                serverPids.stream().mapToDouble(pid -> ProcessStats.residentMiB(pid, false)).max().orElse(0),
                serverPids.stream().mapToDouble(pid -> ProcessStats.residentMiB(pid, true)).max().orElse(0));
    }

    private static HttpRequest request(String base, Call call) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + call.path())).timeout(Duration.ofSeconds(30))
                .header("Authorization", PlinthInstance.AUTHORIZATION);
        if (call.contentType() != null) {
            builder.header("Content-Type", call.contentType());
        }
        if (call.ifMatch() != null) {
            builder.header("If-Match", call.ifMatch());
        }
        return builder.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body())).build();
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
