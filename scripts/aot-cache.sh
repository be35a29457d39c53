#!/usr/bin/env bash
# Builds a JDK 25 AOT cache for Plinth (JEP 483/514/515: classes loaded and linked, method profiles) so that it starts
# in about half the time (docs/performance.md, "Start-up with the AOT cache"). Run after `./mvnw package`:
#   scripts/aot-cache.sh [plinth.jar] [output dir]     (defaults: server/target/plinth.jar, server/target/plinth-aot)
# It extracts the jar (an AOT cache needs plain jar files on the class path, not Spring Boot's nested jars), then runs
# Plinth once up to a refreshed context on a throwaway data directory while the JVM records the cache. Start Plinth with:
#   java -XX:AOTCache=<dir>/plinth.aot -Xlog:aot*=off -jar <dir>/plinth.jar
# The cache is only valid for the same JDK build and the same jars: rebuild it with every release.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar=${1:-server/target/plinth.jar}
out=${2:-server/target/plinth-aot}
"$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "the AOT cache needs JDK 25 or newer ($JAVA_HOME)"; exit 1; }
rm -rf "$out"
"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$out" > /dev/null
training=$(mktemp -d -t plinth-aot-training.XXXXXX)
trap 'rm -rf "$training"' EXIT
# The training run: Plinth starts (embedded PostgreSQL and queue on the throwaway directory), refreshes its context
# and exits; the JVM then writes the cache. Its log (which holds a generated admin password) is thrown away with it.
if ! "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$out/plinth.aot" -Xlog:aot*=error -Dspring.context.exit=onRefresh \
    -jar "$out/plinth.jar" --server.port=0 --plinth.data-dir="$training/data" > "$training/training.log" 2>&1; then
  echo "The training run failed:"; tail -20 "$training/training.log"; exit 1
fi
echo "AOT cache: $out/plinth.aot ($(du -h "$out/plinth.aot" | cut -f1)). Start Plinth with:"
echo "  java -XX:AOTCache=$out/plinth.aot -Xlog:aot*=off -jar $out/plinth.jar"
