#!/usr/bin/env bash
# Benchmark: jitsi-ops' alert-service side by side with Prometheus Alertmanager (Debian prometheus-alertmanager
# 0.25) on the same input, one after the other on this machine:
#   intake     alerts/s through POST /api/v2/alerts in batches of 1, 100 and 1000 (8 requests in flight)
#              (and, for the service, its CPU and PostgreSQL + Kafka's per accepted alert, each of the two apart, and
#              PostgreSQL commits per 1,000 alerts, over the whole intake: the intake_cpu line; for Alertmanager its
#              CPU per accepted alert: the am_intake_cpu line. On two shared cores alerts/s follow CPU per alert)
#   fan-out    5,000 alerts in 5,000 groups → notifications/s at a local webhook sink (group_wait 1s); two rounds
#              of new groups, both printed: the first in a JVM that only served the latency runs (cold), the second
#              after it (warm, as the intake is measured after a warm-up round of its own)
#   latency    one alert posted → its notification at the sink, p50/p99 (both); and for jitsi-ops also
#              a DOWN status event produced on Kafka → its notification (the product's own path)
#   RSS        of each server at the end
# Kafka, PostgreSQL and the simulator (OIDC issuer) are started from the test kit (bench/alerts/Infra.java).
# Usage: flock /tmp/jitsiops-maven.lock bash bench/alerts/run.sh   (INTAKE_SECONDS=8 FANOUT_GROUPS=5000 LATENCY_N=100)
# Profile the alert-service under it: JO_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/alerts.jfr,settings=profile'
# (then jfr print --events jdk.ExecutionSample /tmp/alerts.jfr); SKIP_AM=1 runs the alert-service only; INTAKE_ONLY=1
# runs the intake only, on both sides (for A/B runs of the intake; INTAKE_SIZES=1,100,1000 chooses the batches).
# INTERLEAVE=N runs both servers at once and drives them in turn, N rounds (the intake; INTERLEAVE_FANOUT=1 adds a
# fan-out round of each per round; INTERLEAVE_WARMUP=N first runs N uncounted fan-out rounds of each, to measure a
# warm JVM), with each round's ratios and their median: for ratios on this shared machine. THREAD_CPU=1 ends with the
# service's CPU-s by thread (event loops, JIT compilers, GC…).
# FANOUT_ONLY=1 runs only FANOUT_ROUNDS (default 4) fan-out rounds of FANOUT_GROUPS new groups in one JVM, each with
# the service's CPU-s (user + system, /proc) over the round and that of the stack's PostgreSQL + Kafka broker (for A/B runs of two builds with JO_JAR; with SKIP_AM=1
# about 1.5 min).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$HERE/common.sh" # BASE, stack, write_deployment, alert_service, await_live, cpu/RSS readers
OUT="$HERE/target"
INTAKE_SECONDS="${INTAKE_SECONDS:-8}"
FANOUT_GROUPS="${FANOUT_GROUPS:-5000}"
LATENCY_N="${LATENCY_N:-100}"
INTAKE_ONLY="${INTAKE_ONLY:-}"
FANOUT_ONLY="${FANOUT_ONLY:-}"
FANOUT_ROUNDS="${FANOUT_ROUNDS:-4}"
INTAKE_SIZES="${INTAKE_SIZES:-1,100,1000}"
# INTAKE_DISTINCT=N: the intake posts N distinct alerts over and over (re-posts of firing alerts, what Prometheus
# sends every evaluation interval) instead of a new alert every time (0, the default: every alert stays live)
INTAKE_DISTINCT="${INTAKE_DISTINCT:-0}"
JO_PORT=$((BASE + 150))
AM_PORT=$((BASE + 151))
SINK_PORT=$((BASE + 190))
TOKEN=bench-intake-token
mkdir -p "$OUT"
command -v prometheus-alertmanager >/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-alertmanager >/dev/null
}
JO_JAR="${JO_JAR:-$ROOT/alert-service/target/quarkus-app/quarkus-run.jar}" # JO_JAR: another build, for A/B runs
[ -f "$JO_JAR" ] || { echo "build first: mvnl -B -o install -DskipTests -pl alert-service"; exit 1; }
# The driver posts over plain keep-alive sockets and its webhook sink is a thread per connection with TCP_NODELAY
# (since session 20: the JDK HttpClient capped single-alert posts at ~1,900 requests/s and the JDK HttpServer sink at
# ~6,400-12,000 requests/s on this machine, whatever the server under test; AlertBench.java says how it was measured).
DRIVER=(java -cp "$ROOT/deploy/servers/kafka/target/lib/*" "$HERE/AlertBench.java")
# FANOUT_ROUNDS fan-out rounds against URL, each printed with the server's CPU-s over it (PID) and that of the
# stack's PostgreSQL and Kafka (which only the alert-service uses)
fanout_rounds() {
  local url=$1 token=$2 pid=$3 r before sbefore ubefore out
  for r in $(seq 1 "$FANOUT_ROUNDS"); do
    before=$(cpu_ticks "$pid"); ubefore=$(user_ticks "$pid"); sbefore=$(stack_ticks)
    out=$("${DRIVER[@]}" fanout "$url" "$token" $SINK_PORT "$FANOUT_GROUPS")
    echo "round $r: $out cpu_s=$(secs "$before" "$(cpu_ticks "$pid")") (user $(secs "$ubefore" "$(user_ticks "$pid")")) pg_kafka_cpu_s=$(secs "$sbefore" "$(stack_ticks)")"
  done
}
STATE="$OUT/state"
cleanup() {
  [ -n "${JO_PID:-}" ] && kill "$JO_PID" 2>/dev/null || true
  [ -n "${AM_PID:-}" ] && kill "$AM_PID" 2>/dev/null || true
  stack down >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- Kafka, PostgreSQL and the simulator's Janssen (the OIDC issuer) ---
rm -rf "$STATE"
stack up > "$OUT/stack-up.log"

# --- the same routing for both: intake alerts wait in one group (no notification during the intake run);
#     every other alert is its own group, flushed after 1s to the webhook sink ---
{ down_rule bench-down; cat <<YAML
route:
  receiver: sink
  group_by: [alertname, instance, target]
  group_wait: 1s
  group_interval: 1m
  repeat_interval: 4h
  routes:
    - matchers: ['alertname=BenchIntake']
      group_by: [alertname]
      group_wait: 1h
      group_interval: 1h
YAML
} > "$OUT/rules.yaml"
write_deployment
cat > "$OUT/am.yml" <<YAML
route:
  receiver: sink
  group_by: [alertname, instance, target]
  group_wait: 1s
  group_interval: 1m
  repeat_interval: 4h
  routes:
    - matchers: ['alertname="BenchIntake"']
      group_by: [alertname]
      group_wait: 1h
      group_interval: 1h
receivers:
  - name: sink
    webhook_configs: [{url: 'http://127.0.0.1:$SINK_PORT/hook', send_resolved: false}]
YAML

# --- jitsi-ops alert-service, with the image's JVM flags (pom.xml, quarkus.jib.jvm-additional-arguments) in a pod of
#     JO_POD_MEM (default 2g): the JVM sizes its heap from that as it would under the pod's limit (MaxRAMPercentage=50:
#     1 GiB, the intake run leaves hundreds of thousands of alerts in memory, as it does in Alertmanager), where on this
#     24 GiB machine it would commit 384 MB of heap from the start whatever it needed (until session 33: -Xmx1g alone;
#     session 34's re-post run: RSS 533 MB, 387 MB of it heap, against 319 MB with these flags). JO_XMX overrides the
#     heap; collector JO_GC, default SerialGC (the JVM's own choice in the 1 GiB, 2-CPU pod of k8s/) ---
IMAGE_JVM_FLAGS=$(image_jvm_flags)
JITSIOPS_ALERT_INTAKE_TOKEN=$TOKEN alert_service "$JO_JAR" $JO_PORT "$OUT/alert-service.log" $((BASE + 432)) \
  -XX:MaxRAM=${JO_POD_MEM:-2g} $IMAGE_JVM_FLAGS ${JO_XMX:+-Xmx$JO_XMX} ${JO_GC:--XX:+UseSerialGC} -Xlog:gc:file="$OUT/alert-service-gc.log" ${NMT:+-XX:NativeMemoryTracking=summary} ${JO_JAVA_OPTS:-} \
  -Djitsiops.alert.receivers.sink.type=webhook -Djitsiops.alert.receivers.sink.url=http://127.0.0.1:$SINK_PORT/hook \
  -Djitsiops.alert.receivers.sink.send-resolved=false \
  -Djitsiops.alert.receivers.sink.max-in-flight=64
JO_PID=$!
await_live $JO_PORT
sleep 3
# the shared webhook sink's own ceiling (64 keep-alive connections, webhook-sized posts): no fan-out figure can pass it
start_am() {
  rm -rf "$OUT/am-data"
  prometheus-alertmanager --config.file="$OUT/am.yml" --storage.path="$OUT/am-data" \
    --web.listen-address=127.0.0.1:$AM_PORT --cluster.listen-address= > "$OUT/alertmanager.log" 2>&1 &
  AM_PID=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$AM_PORT/-/ready" >/dev/null && break; sleep 0.5; done
}
# the alert-service's stop-the-world garbage collection over the whole run (the intake keeps every alert in memory,
# as Alertmanager does); only 'Pause' lines are summed (G1 also logs concurrent phases, which stop nothing)
gc_summary() {
  local log="$OUT/alert-service-gc.log"
  echo "gc=${JO_GC:--XX:+UseSerialGC} gc_pauses=$(grep -c 'Pause' "$log") full_gcs=$(grep -c 'Pause Full' "$log") gc_pause_total_ms=$(grep 'Pause' "$log" | grep -oE '[0-9.]+ms$' | awk '{s+=$1} END {printf "%.0f", s}')"
}
val() { echo "$1" | grep -oE "$2=[0-9.]+" | head -1 | cut -d= -f2; }
# waits until the service's writers have written what it applied (jitsiops_alert_intake_unwritten 0, at most 60 s):
# its CPU for the alerts it took is then all spent
await_written() {
  for _ in $(seq 1 120); do
    [ "$(curl -s "http://127.0.0.1:$JO_PORT/q/metrics" | awk '/^jitsiops_alert_intake_unwritten / {print $2 + 0}')" = 0 ] && return 0; sleep 0.5
  done
}
ratio() { python3 -c "import sys; a,b=float(sys.argv[1] or 0),float(sys.argv[2] or 0); print('%.2f' % (a/b) if b else 'n/a')" "$1" "$2"; }
# INTERLEAVE=N: both servers up at once, driven in turn — N rounds of (jitsi-ops intake, Alertmanager intake), and
# with INTERLEAVE_FANOUT=1 a fan-out round of each after every intake round — so that a minute of other load on this
# shared machine lands on both sides instead of on one (run to run, single-alert posts moved ±40 % on both sides in
# sessions 24-26). Prints each round's ratios and their median, CPU per accepted alert among them (as the intake_cpu
# and am_intake_cpu lines, over each side's turn and the pause after it).
if [ -n "${INTERLEAVE:-}" ]; then
  start_am
  echo "== interleaved: jitsi-ops and Alertmanager $(prometheus-alertmanager --version 2>&1 | head -1 | awk '{print $3}') in turn =="
  RATIOS="$OUT/interleave-ratios.txt"; : > "$RATIOS"
  # INTERLEAVE_WARMUP=N: N fan-out rounds of each server first, not counted. The alert-service's JIT compilers take
  # ~15 CPU-s over its first ~75,000 notifications (THREAD_CPU=1, session 36): until then a round's CPU is mostly
  # theirs and its fan-out is a cold JVM's, where a service that has run for a while is what an SRE relies on
  for w in $(seq 1 "${INTERLEAVE_WARMUP:-0}"); do
    JO_W=$("${DRIVER[@]}" fanout "http://127.0.0.1:$JO_PORT" $TOKEN $SINK_PORT "$FANOUT_GROUPS")
    AM_W=$("${DRIVER[@]}" fanout "http://127.0.0.1:$AM_PORT" - $SINK_PORT "$FANOUT_GROUPS")
    echo "warm-up round $w fan-out: $(val "$JO_W" fanout_notifications_per_s) / $(val "$AM_W" fanout_notifications_per_s) notifications/s"
  done
  for r in $(seq 1 "$INTERLEAVE"); do
    # each turn is followed by a pause (INTERLEAVE_SETTLE, 3 s) so that what a server does behind its answers (the
    # alert-service writes new alerts behind) is not done during the other's turn; each side's CPU is read over its
    # turn and its pause (the service's with PostgreSQL's and Kafka's, once its writers have written all it took)
    J0=$(( $(cpu_ticks $JO_PID) + $(stack_ticks) ))
    JO_I=$("${DRIVER[@]}" intake "http://127.0.0.1:$JO_PORT" $TOKEN "$INTAKE_SECONDS" "$INTAKE_SIZES" "$INTAKE_DISTINCT")
    await_written; sleep "${INTERLEAVE_SETTLE:-3}"
    J1=$(( $(cpu_ticks $JO_PID) + $(stack_ticks) )); A0=$(cpu_ticks $AM_PID)
    AM_I=$("${DRIVER[@]}" intake "http://127.0.0.1:$AM_PORT" - "$INTAKE_SECONDS" "$INTAKE_SIZES" "$INTAKE_DISTINCT")
    sleep "${INTERLEAVE_SETTLE:-3}"
    JO_US=$(per_alert_us "$J0" "$J1" "$(val "$JO_I" intake_accepted_all_rounds)")
    AM_US=$(per_alert_us "$A0" "$(cpu_ticks $AM_PID)" "$(val "$AM_I" intake_accepted_all_rounds)")
    echo "round $r intake CPU per alert: Alertmanager $AM_US µs / jitsi-ops $JO_US µs (service + PostgreSQL + Kafka) = $(ratio "$AM_US" "$JO_US")"
    echo "intake_cpu_per_alert $(ratio "$AM_US" "$JO_US")" >> "$RATIOS"
    for b in ${INTAKE_SIZES//,/ }; do
      j=$(val "$JO_I" intake_batch_${b}_alerts_per_s); a=$(val "$AM_I" intake_batch_${b}_alerts_per_s)
      echo "round $r intake batch $b: $j / $a alerts/s = $(ratio "$j" "$a")"
      echo "intake_batch_$b $(ratio "$j" "$a")" >> "$RATIOS"
    done
    if [ -n "${INTERLEAVE_FANOUT:-}" ]; then
      JO_F=$("${DRIVER[@]}" fanout "http://127.0.0.1:$JO_PORT" $TOKEN $SINK_PORT "$FANOUT_GROUPS")
      sleep "${INTERLEAVE_SETTLE:-3}"
      AM_F=$("${DRIVER[@]}" fanout "http://127.0.0.1:$AM_PORT" - $SINK_PORT "$FANOUT_GROUPS")
      sleep "${INTERLEAVE_SETTLE:-3}"
      j=$(val "$JO_F" fanout_notifications_per_s); a=$(val "$AM_F" fanout_notifications_per_s)
      echo "round $r fan-out: $j / $a notifications/s = $(ratio "$j" "$a") (all delivered after $(val "$JO_F" all_after_s) s / $(val "$AM_F" all_after_s) s)"
      echo "fanout $(ratio "$j" "$a")" >> "$RATIOS"
    fi
  done
  python3 - "$RATIOS" <<'PY'
import sys, statistics, collections
by = collections.defaultdict(list)
for line in open(sys.argv[1]):
    k, v = line.split()
    if v != 'n/a':
        by[k].append(float(v))
for k, vs in by.items():
    print(f"median ratio {k}: {statistics.median(vs):.2f} (rounds: {', '.join('%.2f' % v for v in vs)})")
PY
  echo "rss_mb=$(rss_mb $JO_PID) / $(rss_mb $AM_PID)"
  gc_summary
  [ -n "${THREAD_CPU:-}" ] && thread_cpu $JO_PID
  exit 0
fi
echo "== jitsi-ops alert-service =="
if [ -n "$FANOUT_ONLY" ]; then
  fanout_rounds "http://127.0.0.1:$JO_PORT" $TOKEN $JO_PID
  echo "rss_mb=$(rss_mb $JO_PID)"
  [ -n "${THREAD_CPU:-}" ] && thread_cpu $JO_PID
  kill $JO_PID; wait $JO_PID 2>/dev/null || true; JO_PID=
  [ -n "${SKIP_AM:-}" ] && exit 0
fi
if [ -z "$INTAKE_ONLY$FANOUT_ONLY" ]; then
SINK=$("${DRIVER[@]}" sink-alone $SINK_PORT 64 3); echo "webhook sink alone: $SINK"
JO_LK=$("${DRIVER[@]}" latency-kafka 127.0.0.1:$((BASE + 92)) $SINK_PORT "$LATENCY_N"); echo "kafka event → notification: $JO_LK"
JO_LH=$("${DRIVER[@]}" latency-http "http://127.0.0.1:$JO_PORT" $TOKEN $SINK_PORT "$LATENCY_N"); echo "POST → notification: $JO_LH"
JO_F0=$("${DRIVER[@]}" fanout "http://127.0.0.1:$JO_PORT" $TOKEN $SINK_PORT "$FANOUT_GROUPS"); echo "first round: $JO_F0"
JO_F=$("${DRIVER[@]}" fanout "http://127.0.0.1:$JO_PORT" $TOKEN $SINK_PORT "$FANOUT_GROUPS"); echo "second round: $JO_F"
fi
if [ -z "$FANOUT_ONLY" ]; then
# PostgreSQL transactions committed in the service's database: how well its writes are batched
pg_commits() { psql -h 127.0.0.1 -p $((BASE + 432)) -U postgres -d jitsiops -Atc \
  "SELECT xact_commit FROM pg_stat_database WHERE datname = 'jitsiops'" 2>/dev/null || echo 0; }
I_CPU0=$(cpu_ticks $JO_PID); I_PG0=$(pg_ticks); I_KAFKA0=$(kafka_ticks); I_XACT0=$(pg_commits)
JO_I=$("${DRIVER[@]}" intake "http://127.0.0.1:$JO_PORT" $TOKEN "$INTAKE_SECONDS" "$INTAKE_SIZES" "$INTAKE_DISTINCT"); echo "$JO_I"
# the CPU an accepted alert cost over the whole intake (warm-up rounds included, applied or not yet): the service's,
# and that of PostgreSQL + the Kafka broker beside it — what the alerts/s above are bound by on two shared cores
I_ALERTS=$(val "$JO_I" intake_accepted_all_rounds)
await_written
sleep 1 # PostgreSQL publishes its statistics at most once a second
I_PG=$(pg_ticks); I_KAFKA=$(kafka_ticks); I_CPU=$(cpu_ticks $JO_PID)
JO_US=$(per_alert_us $((I_CPU0 + I_PG0 + I_KAFKA0)) $((I_CPU + I_PG + I_KAFKA)) "$I_ALERTS")
echo "intake_cpu: service_us_per_alert=$(per_alert_us "$I_CPU0" "$I_CPU" "$I_ALERTS") pg_kafka_us_per_alert=$(per_alert_us $((I_PG0 + I_KAFKA0)) $((I_PG + I_KAFKA)) "$I_ALERTS") (pg $(per_alert_us "$I_PG0" "$I_PG" "$I_ALERTS"), kafka $(per_alert_us "$I_KAFKA0" "$I_KAFKA" "$I_ALERTS")) pg_commits_per_1000_alerts=$(per_item "$I_XACT0" "$(pg_commits)" "$I_ALERTS" 1000)"
# Since session 24 a post is answered once its records are handed to Kafka (jitsi-ops.alert-intake) and the owner of
# each partition applies them behind the answer: the rates above are alerts accepted. What the consumer still had to
# apply when the driver stopped (its lag, in records) and how long it took to reach lag 0 (offsets are committed once
# the effects are written), polled every ~2 s for at most APPLY_WAIT seconds (default 300):
intake_lag() { java -cp "$ROOT/deploy/servers/kafka/target/lib/*" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
  --bootstrap-server 127.0.0.1:$((BASE + 92)) --describe --group jitsi-ops-alert-service 2>/dev/null \
  | awk '$2 == "jitsi-ops.alert-intake" && $6 ~ /^[0-9]+$/ {s += $6} END {print s + 0}'; }
APPLY_T0=$(date +%s.%N); LAG0=$(intake_lag); LAG=$LAG0
while [ "$LAG" != 0 ] && python3 -c "import sys,time; sys.exit(0 if time.time() - float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$APPLY_T0" "${APPLY_WAIT:-300}"; do
  sleep 1; LAG=$(intake_lag)
done
echo "intake_applied: lag_records_at_end=$LAG0 lag_records_now=$LAG applied_after_s=$(python3 -c "import sys,time; print('%.1f' % (time.time() - float(sys.argv[1])))" "$APPLY_T0")"
JO_RSS=$(rss_mb $JO_PID); echo "rss_mb=$JO_RSS"
# how the service answered the posts over the whole run (accepted, or why it refused: behind PostgreSQL, queue full, …),
# and how many posts waited for its writers to catch up first (since session 31)
curl -s "http://127.0.0.1:$JO_PORT/q/metrics" | awk '/^jitsiops_alert_intake_posts_(total|waited_total)/ && $2 > 0 {printf "%s ", $0} END {print ""}' || true
gc_summary
[ -n "${THREAD_CPU:-}" ] && thread_cpu $JO_PID
# HISTO=1: the live objects of the service at the end (what the intake keeps per alert), into target/histo.txt
[ -n "${HISTO:-}" ] && jcmd $JO_PID GC.class_histogram > "$OUT/histo.txt" 2>&1 || true
# NMT=1: where the service's RSS lies at the end (heap, metaspace, code, threads, direct buffers…), into target/nmt.txt
[ -n "${NMT:-}" ] && jcmd $JO_PID VM.native_memory summary > "$OUT/nmt.txt" 2>&1 || true
kill $JO_PID; wait $JO_PID 2>/dev/null || true; JO_PID=
fi
[ -n "${SKIP_AM:-}" ] && exit 0

# --- Prometheus Alertmanager, same input ---
start_am
echo "== Prometheus Alertmanager $(prometheus-alertmanager --version 2>&1 | head -1 | awk '{print $3}') =="
if [ -n "$FANOUT_ONLY" ]; then
  fanout_rounds "http://127.0.0.1:$AM_PORT" - $AM_PID
  exit 0
fi
if [ -z "$INTAKE_ONLY" ]; then
AM_LH=$("${DRIVER[@]}" latency-http "http://127.0.0.1:$AM_PORT" - $SINK_PORT "$LATENCY_N"); echo "POST → notification: $AM_LH"
AM_F0=$("${DRIVER[@]}" fanout "http://127.0.0.1:$AM_PORT" - $SINK_PORT "$FANOUT_GROUPS"); echo "first round: $AM_F0"
AM_F=$("${DRIVER[@]}" fanout "http://127.0.0.1:$AM_PORT" - $SINK_PORT "$FANOUT_GROUPS"); echo "second round: $AM_F"
fi
A_CPU0=$(cpu_ticks $AM_PID)
AM_I=$("${DRIVER[@]}" intake "http://127.0.0.1:$AM_PORT" - "$INTAKE_SECONDS" "$INTAKE_SIZES" "$INTAKE_DISTINCT"); echo "$AM_I"
# Alertmanager's CPU per accepted alert over its whole intake, to set beside the intake_cpu line: it keeps alerts in
# memory only, so its whole cost compares with the service's plus PostgreSQL's and Kafka's
AM_US=$(per_alert_us "$A_CPU0" "$(cpu_ticks $AM_PID)" "$(val "$AM_I" intake_accepted_all_rounds)")
echo "am_intake_cpu: us_per_alert=$AM_US"
AM_RSS=$(rss_mb $AM_PID); echo "rss_mb=$AM_RSS"

echo
echo "== ratios jitsi-ops / Alertmanager (higher is better for throughput; lower is better for latency and RSS) =="
for b in ${INTAKE_SIZES//,/ }; do
  echo "intake batch $b: $(val "$JO_I" intake_batch_${b}_alerts_per_s) / $(val "$AM_I" intake_batch_${b}_alerts_per_s) alerts/s = $(ratio "$(val "$JO_I" intake_batch_${b}_alerts_per_s)" "$(val "$AM_I" intake_batch_${b}_alerts_per_s)")"
done
# (as the throughput ratios: above 1 is better for jitsi-ops)
echo "intake CPU per alert, all sizes: Alertmanager $AM_US µs / jitsi-ops ${JO_US:-n/a} µs (service + PostgreSQL + Kafka) = $(ratio "$AM_US" "${JO_US:-0}")"
[ -n "$INTAKE_ONLY" ] && exit 0
echo "fan-out, first round (cold): $(val "$JO_F0" fanout_notifications_per_s) / $(val "$AM_F0" fanout_notifications_per_s) notifications/s = $(ratio "$(val "$JO_F0" fanout_notifications_per_s)" "$(val "$AM_F0" fanout_notifications_per_s)"); all delivered after $(val "$JO_F0" all_after_s) s / $(val "$AM_F0" all_after_s) s"
echo "fan-out, second round (warm): $(val "$JO_F" fanout_notifications_per_s) / $(val "$AM_F" fanout_notifications_per_s) notifications/s = $(ratio "$(val "$JO_F" fanout_notifications_per_s)" "$(val "$AM_F" fanout_notifications_per_s)"); all delivered after $(val "$JO_F" all_after_s) s / $(val "$AM_F" all_after_s) s"
echo "POST → notification p50: $(val "$JO_LH" p50_ms) / $(val "$AM_LH" p50_ms) ms = $(ratio "$(val "$JO_LH" p50_ms)" "$(val "$AM_LH" p50_ms)")"
echo "POST → notification p99: $(val "$JO_LH" p99_ms) / $(val "$AM_LH" p99_ms) ms = $(ratio "$(val "$JO_LH" p99_ms)" "$(val "$AM_LH" p99_ms)")"
echo "Kafka event → notification (jitsi-ops only; goal p99 ≤ group_wait 1s + 2s): p50 $(val "$JO_LK" p50_ms) ms, p99 $(val "$JO_LK" p99_ms) ms"
echo "RSS: $JO_RSS / $AM_RSS MB = $(ratio "$JO_RSS" "$AM_RSS")"
echo "webhook sink alone (the fan-out ceiling): $(val "$SINK" sink_requests_per_s) requests/s"
