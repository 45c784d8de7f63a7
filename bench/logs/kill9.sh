#!/usr/bin/env bash
# kill -9 of the PACKAGED log-service (java -jar log-service/target/quarkus-app/quarkus-run.jar), CYCLES times
# (default 100), while it tails three files rotated by rename + create, by copytruncate, and twice while it is
# dead; lines are appended all the time. Real Kafka and PostgreSQL from the test kit on free loopback ports.
# At the end a last service catches up and the entries topic is read back: prints lines, lost and duplicated
# per rotation kind (KillNine in log-service's test classes); exits non-zero when a line is lost, more than one
# is duplicated, or the last service did not catch up.
# Usage: flock /tmp/jitsiops-maven.lock bash bench/logs/kill9.sh      (CYCLES=100)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CYCLES="${CYCLES:-100}"
APP="$ROOT/log-service/target/quarkus-app"
TESTKIT="$ROOT/deploy/testkit/target/testkit-0.1.0-SNAPSHOT.jar"
[ -f "$APP/quarkus-run.jar" ] || { echo "build first: mvnl -B -o install -DskipTests -pl log-service"; exit 1; }
[ -f "$ROOT/log-service/target/test-classes/io/jitsiops/log/bench/KillNine.class" ] || { echo "compile the tests first: mvnl -B -o test-compile -pl log-service"; exit 1; }
[ -f "$TESTKIT" ] || { echo "build the test kit first: mvnl -B -o install -DskipTests -pl deploy/testkit"; exit 1; }
[ -d "$ROOT/deploy/servers/kafka/target/lib" ] || { echo "build the Kafka jars first: mvnl -B -o install -pl deploy/servers/kafka"; exit 1; }
WORK="$HERE/target/kill9"
rm -rf "$WORK"
mkdir -p "$WORK"
CP="$ROOT/log-service/target/test-classes:$ROOT/log-service/target/classes:$TESTKIT:$APP/lib/main/*"
java -Djitsiops.root="$ROOT" -cp "$CP" io.jitsiops.log.bench.KillNine "$CYCLES" "$WORK" "$APP/quarkus-run.jar" 2>&1 \
  | grep -v -e '^SLF4J' -e 'org.apache.kafka' | tee "$HERE/target/kill9.txt"
