#!/usr/bin/env bash
# A stuck owner: two alert-service replicas in one consumer group, the second unable to reach PostgreSQL with its
# reactive client (it joins the group, takes its partitions and waits to adopt them: alive, applying nothing), and a
# flood of new alerts (batches of 1000, 8 posts in flight) posted to the first. About half of each post belongs to
# the stuck replica and is routed to it through jitsi-ops.alert-intake. After the flood the stuck replica stops; the
# first takes its partitions and applies what waited for it. Prints every 2 s, until the group has applied everything:
# the records of jitsi-ops.alert-intake the group has not committed, the first replica's view of its owner's lag
# (jitsiops_alert_intake_owner_lag_seconds, since session 27) and the posts it refused because of it
# (refused_behind_owner) or its own PostgreSQL backlog (refused_behind_postgresql past max-wait, refused_unwritten_limit
# past twice max-unwritten; since session 33); then how long the backlog took.
# Not a speed figure: it shows what max-owner-lag bounds.
# Usage: flock /tmp/jitsiops-maven.lock bash bench/alerts/owner-lag.sh   (FLOOD_SECONDS=40: the driver posts twice
# that, a warm-up round and a measured one; MAX_OWNER_LAG=60s; JO_JAR=another build, for before/after)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$HERE/common.sh" # BASE, stack, write_deployment, alert_service, await_live
OUT="$HERE/target/owner-lag"
FLOOD_SECONDS="${FLOOD_SECONDS:-40}"
A_PORT=$((BASE + 150))
B_PORT=$((BASE + 153))
TOKEN=bench-intake-token
JO_JAR="${JO_JAR:-$ROOT/alert-service/target/quarkus-app/quarkus-run.jar}"
[ -f "$JO_JAR" ] || { echo "build first: mvnl -B -o install -DskipTests -pl alert-service"; exit 1; }
DRIVER=(java -cp "$ROOT/deploy/servers/kafka/target/lib/*" "$HERE/AlertBench.java")
STATE="$OUT/state"
mkdir -p "$OUT"
cleanup() {
  # a replica out of heap may not stop on TERM (and would keep the Maven lock's descriptor): KILL after 5 s
  for pid in ${A_PID:-} ${B_PID:-}; do
    kill "$pid" 2>/dev/null || true
    for _ in 1 2 3 4 5; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ -n "${LAG_PID:-}" ] && kill "$LAG_PID" 2>/dev/null || true
  [ -n "${PROXY_PID:-}" ] && kill "$PROXY_PID" 2>/dev/null || true
  stack down >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 1' INT TERM
rm -rf "$STATE"
stack up > "$OUT/stack-up.log"
{ down_rule bench-down; cat <<YAML
route:
  receiver: sink
  group_by: [alertname]
  group_wait: 1h
  group_interval: 1h
  repeat_interval: 4h
YAML
} > "$OUT/rules.yaml"
write_deployment
# one replica: the same settings as run.sh's, on its own HTTP port (the flood's alerts wait in one group: no notices)
replica() {
  JITSIOPS_ALERT_INTAKE_TOKEN=$TOKEN alert_service "$JO_JAR" $1 "$OUT/replica-$1.log" $2 \
    -Xmx${JO_XMX:-1g} -XX:+UseSerialGC \
    -Djitsiops.alert.receivers.sink.type=webhook -Djitsiops.alert.receivers.sink.url=http://127.0.0.1:9/hook \
    ${MAX_OWNER_LAG:+-Djitsiops.alert.intake.max-owner-lag=$MAX_OWNER_LAG}
}
replica $A_PORT $((BASE + 432)); A_PID=$!
# the one that gets stuck: its reactive client reaches PostgreSQL through a proxy, cut once the group settled
# (it needs PostgreSQL to start); its schema migrations (JDBC) go straight there
PROXY_PORT=$((BASE + 433))
python3 - "$PROXY_PORT" $((BASE + 432)) > "$OUT/proxy.log" 2>&1 <<'PY' &
import socket, sys, threading
listen, target = int(sys.argv[1]), int(sys.argv[2])
def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        a.close(); b.close()
server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', listen)); server.listen(64)
while True:
    c, _ = server.accept()
    u = socket.create_connection(('127.0.0.1', target))
    threading.Thread(target=pipe, args=(c, u), daemon=True).start()
    threading.Thread(target=pipe, args=(u, c), daemon=True).start()
PY
PROXY_PID=$!
sleep 1
replica $B_PORT $PROXY_PORT; B_PID=$!
for port in $A_PORT $B_PORT; do await_live $port; done
sleep 15 # the group settles: two rounds of cooperative rebalancing, each replica adopts its partitions
kill $PROXY_PID # the second replica's PostgreSQL is gone: it stays in the group and applies nothing
metric() { curl -s "http://127.0.0.1:$A_PORT/q/metrics" | awk -v s="$1" 'index($0, s " ") == 1 {print $2; f=1} END {if (!f) print "-"}'; }
"${DRIVER[@]}" group-lag 127.0.0.1:$((BASE + 92)) jitsi-ops-alert-service jitsi-ops.alert-intake 1 > "$OUT/group-lag.txt" 2>/dev/null &
LAG_PID=$!
sample() {
  echo "t=$(( $(date +%s) - START ))s uncommitted_records=$(tail -1 "$OUT/group-lag.txt") owner_lag_s=$(metric jitsiops_alert_intake_owner_lag_seconds) refused_behind_owner=$(metric 'jitsiops_alert_intake_posts_total{outcome="refused_behind_owner"}') refused_behind_postgresql=$(metric 'jitsiops_alert_intake_posts_total{outcome="refused_behind_postgresql"}') refused_unwritten_limit=$(metric 'jitsiops_alert_intake_posts_total{outcome="refused_unwritten_limit"}') rss_mb_a=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$A_PID/status)"
}
START=$(date +%s)
"${DRIVER[@]}" intake "http://127.0.0.1:$A_PORT" $TOKEN "$FLOOD_SECONDS" 1000 0 > "$OUT/flood.txt" &
FLOOD=$!
while kill -0 $FLOOD 2>/dev/null; do sample; sleep 2; done
echo "flood (measured round): $(cat "$OUT/flood.txt")"
kill $B_PID; wait $B_PID 2>/dev/null || true # leaves the group: its partitions go to the first replica
END=$(date +%s)
echo "stuck replica stopped at t=$(( END - START ))s"
for _ in $(seq 1 300); do
  s=$(sample); echo "$s"
  echo "$s" | grep -q "uncommitted_records=0 " && { echo "drained $(( $(date +%s) - END )) s after the flood"; break; }
  sleep 2
done
