#!/usr/bin/env bash
# Benchmark: the alert-service's main input — the metrics-service's component samples on Kafka, evaluated against
# the shipped default rules (alerting/default-rules.yaml, 67 rules). EVENTS_ROUNDS rounds (default 4) of EVENTS_N
# samples (default 100,000) for EVENTS_BRIDGES bridges (default 500; a sample each every 5 s is 100 samples/s), each
# timed until the consumer group has committed the last (it commits once an event's effects are written, every 5 s:
# rounds of 20,000 came out in whole commit periods), with the service's CPU-s over the round and that of the stack's
# PostgreSQL + Kafka. The bridges are well (no rule fires): this is evaluation alone. No peer: Alertmanager evaluates nothing, and Prometheus
# evaluates rules on its own database, not on a stream. THREAD_CPU=1 ends with the service's CPU-s by thread;
# JO_JAVA_OPTS adds JVM options (A/B runs), JO_JAR runs another build.
# Usage: flock /tmp/jitsiops-maven.lock bash bench/alerts/events.sh   (about 5 min)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$HERE/common.sh" # BASE, stack, write_deployment, alert_service, await_live, cpu/RSS readers
OUT="$HERE/target/events"
STATE="$OUT/state"
EVENTS_ROUNDS="${EVENTS_ROUNDS:-4}"
EVENTS_N="${EVENTS_N:-100000}"
EVENTS_BRIDGES="${EVENTS_BRIDGES:-500}"
JO_PORT=$((BASE + 152))
JO_JAR="${JO_JAR:-$ROOT/alert-service/target/quarkus-app/quarkus-run.jar}"
[ -f "$JO_JAR" ] || { echo "build first: mvnl -B -o install -DskipTests -pl alert-service"; exit 1; }
STATS="$ROOT/metrics-service/src/test/resources/recorded/jvb/colibri-stats-2.3.168-g28674f78-stable-9779.json"
DRIVER=(java -cp "$ROOT/deploy/servers/kafka/target/lib/*" "$HERE/AlertBench.java")
mkdir -p "$OUT"
cleanup() {
  [ -n "${JO_PID:-}" ] && kill "$JO_PID" 2>/dev/null || true
  stack down >/dev/null 2>&1 || true
}
trap cleanup EXIT
rm -rf "$STATE"
stack up > "$OUT/stack-up.log"
# the shipped rules, routes and inhibitions as they are; their receiver goes nowhere (nothing should fire)
cp "$ROOT/alert-service/src/main/resources/alerting/default-rules.yaml" "$OUT/rules.yaml"
write_deployment
# the image's JVM flags in a pod of JO_POD_MEM (default 1g, k8s/base/alert-service.yaml's limit)
alert_service "$JO_JAR" $JO_PORT "$OUT/alert-service.log" $((BASE + 432)) \
  -XX:MaxRAM=${JO_POD_MEM:-1g} $(image_jvm_flags) ${JO_JAVA_OPTS:-} \
  -Djitsiops.alert.receivers.operators.type=webhook -Djitsiops.alert.receivers.operators.url=http://127.0.0.1:9/hook
JO_PID=$!
await_live $JO_PORT
sleep 3
echo "== alert-service: component samples through the default rules (${JO_JAVA_OPTS:-no extra JVM options}) =="
# each round's samples are written while the service is stopped (SIGSTOP, well inside its 45 s Kafka session) and
# timed from its resumption: the producer shares the two cores and would otherwise bound the figure (EVENTS_LIVE=1:
# produced while the service consumes, timed from the first record)
for r in $(seq 1 "$EVENTS_ROUNDS"); do
  before=$(cpu_ticks $JO_PID); sbefore=$(stack_ticks)
  RESUME=""; [ -z "${EVENTS_LIVE:-}" ] && { RESUME=$JO_PID; kill -STOP $JO_PID; }
  out=$("${DRIVER[@]}" events 127.0.0.1:$((BASE + 92)) jitsi-ops-alert-service "$EVENTS_N" "$EVENTS_BRIDGES" "$STATS" $RESUME 2>> "$OUT/driver.err") || { kill -CONT $JO_PID; exit 1; }
  echo "round $r: $out cpu_s=$(secs "$before" "$(cpu_ticks $JO_PID)") pg_kafka_cpu_s=$(secs "$sbefore" "$(stack_ticks)")"
done
echo "rss_mb=$(rss_mb $JO_PID)"
# nothing should fire: the bridges are well and report every round
echo "firing_alerts=$(curl -s -D - -o /dev/null "http://127.0.0.1:$JO_PORT/api/alerts?state=firing&limit=1" | awk -F': ' 'tolower($1) == "x-total-count" {print $2 + 0}')"
[ -n "${THREAD_CPU:-}" ] && thread_cpu $JO_PID
exit 0
