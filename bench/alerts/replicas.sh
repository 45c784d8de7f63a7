#!/usr/bin/env bash
# Two alert-service replicas in one consumer group; a burst of N DOWN events (N alerts, one group each, webhook
# sink); replica 1 is killed with SIGKILL in the middle; replica 2 takes its partitions over from PostgreSQL.
# Prints notified / lost / duplicates. Kafka, PostgreSQL and the simulator come from the test kit (Infra.java).
# Usage: flock /tmp/jitsiops-maven.lock bash bench/alerts/replicas.sh   (N=10000; MAX_IN_FLIGHT=1 is the shipped
# receiver default, which bounds the repeats to what one slot had sent but not yet logged; 64 measures throughput)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$HERE/common.sh" # BASE, stack, write_deployment, alert_service, await_live
OUT="$HERE/target/replicas"
N="${N:-10000}"
MAX_IN_FLIGHT="${MAX_IN_FLIGHT:-64}"
SINK_PORT=$((BASE + 191))
mkdir -p "$OUT"
DRIVER=(java -Dsun.net.httpserver.nodelay=true -cp "$ROOT/deploy/servers/kafka/target/lib/*" "$HERE/AlertBench.java")
STATE="$OUT/state"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  stack down >/dev/null 2>&1 || true
}
trap cleanup EXIT
rm -rf "$STATE"
stack up > "$OUT/stack-up.log"
{ down_rule burst-down; cat <<YAML
route:
  receiver: sink
  group_by: [alertname, target]
  group_wait: 200ms
  group_interval: 1m
  repeat_interval: 4h
YAML
} > "$OUT/rules.yaml"
write_deployment
replica() {
  alert_service "$ROOT/alert-service/target/quarkus-app/quarkus-run.jar" $1 "$OUT/replica-$1.log" $((BASE + 432)) \
    -Xmx256m -XX:+UseSerialGC \
    -Djitsiops.alert.receivers.sink.type=webhook -Djitsiops.alert.receivers.sink.url=http://127.0.0.1:$SINK_PORT/hook \
    -Djitsiops.alert.receivers.sink.send-resolved=false \
    -Djitsiops.alert.receivers.sink.max-in-flight=$MAX_IN_FLIGHT \
    -Dmp.messaging.incoming.events-in.session.timeout.ms=6000 -Dmp.messaging.incoming.events-in.heartbeat.interval.ms=1000
  PIDS+=($!)
}
replica $((BASE + 161)); R1=${PIDS[0]}
replica $((BASE + 162))
for port in $((BASE + 161)) $((BASE + 162)); do await_live $port; done
sleep 5
rm -f "$OUT/progress"
"${DRIVER[@]}" burst 127.0.0.1:$((BASE + 92)) $SINK_PORT "$N" "$OUT/progress" > "$OUT/burst.out" &
DRV=$!
# kill -9 replica 1 once a third of the notifications are out (it is then mid-burst)
for _ in $(seq 1 600); do
  [ "$(cat "$OUT/progress" 2>/dev/null || true)" -ge $((N / 3)) ] 2>/dev/null && break
  sleep 0.2
done
echo "max-in-flight=$MAX_IN_FLIGHT: kill -9 replica 1 (pid $R1) after $(cat "$OUT/progress" 2>/dev/null || echo 0) notifications"
kill -9 "$R1"
wait $DRV
cat "$OUT/burst.out"
echo "replica 2 log: $(grep -c 'Partitions .* assigned: adopted' "$OUT/replica-$((BASE + 162)).log" || true) adoption(s)"
grep 'assigned: adopted' "$OUT/replica-$((BASE + 162)).log" | tail -2 || true
