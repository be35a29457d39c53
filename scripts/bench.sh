#!/usr/bin/env bash
# The benchmark (issue #11): builds Plinth and the load generator, then runs every workload against Plinth and the
# same SQL through pgbench. Options (all optional): --rows 100000 --warmup 10 --duration 30 --concurrency 16,64
# --workloads W1,W2,W3,W4,W5 --database-url jdbc:postgresql://host:5432/db --database-user u --database-password p
# --instances 1|2 --out bench/results. Results: bench/results/latest.{json,md}. Needs pgbench (Debian: postgresql-15).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -ntp -DskipTests -pl server,bench -am package
exec "$JAVA_HOME/bin/java" -Xmx1g -jar bench/target/plinth-bench.jar --plinth-jar server/target/plinth.jar "$@"
