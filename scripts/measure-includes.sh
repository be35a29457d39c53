#!/usr/bin/env bash
# Measures list latency with and without two levels of include= on 100,000-row tables (issue #4's figure).
# Usage: scripts/measure-includes.sh   (needs a built jar: ./mvnw -q -DskipTests package; psql and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
DATA=$(mktemp -d)
PORT=8199
DEFS=server/src/main/resources/plinth/entities.yaml,server/src/test/resources/definitions/test-resources.yaml
PLINTH_DATA_DIR=$DATA PORT=$PORT PLINTH_EVENTS_ENABLED=false PLINTH_DEFINITIONS=$DEFS "$JAVA" -jar server/target/plinth.jar > "$DATA/plinth.log" 2>&1 &
PID=$!
trap 'kill $PID; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -sf localhost:$PORT/actuator/health/readiness > /dev/null; do sleep 0.5; done
PG_PORT=$(grep -o 'Embedded PostgreSQL started on port [0-9]*' "$DATA/plinth.log" | grep -o '[0-9]*$')
psql -q -h localhost -p "$PG_PORT" -U postgres postgres <<'SQL'
insert into customer (name) select 'customer ' || g from generate_series(1, 100000) g;
insert into product (title) select 'product ' || g from generate_series(1, 100000) g;
insert into purchase (customer, note) select c.id, 'bulk' from customer c;
insert into purchase_line (purchase, product, quantity)
  select p.id, pr.id, 1 from (select id, row_number() over () n from purchase) p
  join (select id, row_number() over () n from product) pr on pr.n = p.n;
vacuum analyze;
SQL
python3 - "$PORT" <<'PY'
import sys, time, urllib.request, statistics
base = 'http://localhost:%s/api/v1/purchase-lines?limit=100' % sys.argv[1]
def run(url, n=200):
    for _ in range(20): urllib.request.urlopen(url).read()
    times = []
    for _ in range(n):
        t = time.perf_counter(); urllib.request.urlopen(url).read(); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(n * 0.95)]
plain = run(base)
included = run(base + '&include=purchase.customer,product')
print('100 lines, no include:            p50 %.1f ms, p95 %.1f ms' % plain)
print('100 lines, include 2 levels (3):  p50 %.1f ms, p95 %.1f ms' % included)
print('ratio p50 %.2fx, p95 %.2fx' % (included[0] / plain[0], included[1] / plain[1]))
PY
