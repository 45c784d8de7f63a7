#!/usr/bin/env bash
# Benchmark of the metrics-service, in one run on this machine (hold the build lock:
#   flock /tmp/jitsiops-maven.lock bash bench/metrics/run.sh ):
#  1. ingest browser samples end to end for INGEST_SECONDS: HTTP in -> PostgreSQL rows, and -> Kafka as per-room
#     conference-quality events whose "samples" fields must add up to every accepted sample (first, so that the topic
#     holds nothing else to read back); JFR=1 records a Java Flight Recording of it (target/ingest.jfr);
#  2. scrape JVBS simulated bridges every INTERVAL s (/metrics and /debug?full=true each): CPU per scrape, memory;
#  3. parse MB/s of one large exposition payload (built from the simulated bridge's real MetricsContainer output),
#     side by side with Prometheus' own parser in `promtool check metrics` (Debian prometheus) on the same file.
# Needs the modules built (mvnl -B -o -q install -DskipTests). Loopback only, about 4 minutes (ONLY=ingest: part 1).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/target"
JVBS="${JVBS:-500}"
INTERVAL="${INTERVAL:-5}"
DURATION="${DURATION:-60}"
INGEST_SECONDS="${INGEST_SECONDS:-30}"
CONNECTIONS="${CONNECTIONS:-4}"
BATCH="${BATCH:-2000}"
# port base below the kernel's ephemeral range (why: bench/run-all.sh)
BASE=29000
MS_PORT=29202
mkdir -p "$OUT"
command -v promtool >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU ticks of the stack's PostgreSQL: the postmaster and every process under it (backends, WAL writer, checkpointer)
pg_ticks() {
  local pm; pm=$(head -1 "$OUT/state/postgres/data/postmaster.pid")
  for p in "$pm" $(pgrep -P "$pm"); do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s}'
}
HZ=$(getconf CLK_TCK)
STACK=(env JITSIOPS_PORT_BASE=$BASE JITSIOPS_STATE_DIR="$OUT/state")
cleanup() {
  [ -n "${MS_PID:-}" ] && kill "$MS_PID" 2>/dev/null || true
  "${STACK[@]}" "$ROOT/deploy/local/stack.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

rm -rf "$OUT/state"
"${STACK[@]}" "$ROOT/deploy/local/stack.sh" up > "$OUT/stack-up.log"
# The stack's own metrics-service scrapes the 2 simulated bridges: stop it, the bench runs its own instance.
kill "$(awk '{print $1}' "$OUT/state/pids/metrics-service.pid")" 2>/dev/null || true
SIM="http://127.0.0.1:$((BASE + 80))"
# The simulated Janssen's issuer: the bare host (current simulator) or /janssen (earlier one).
ISSUER="$SIM"
curl -sf "$SIM/.well-known/openid-configuration" >/dev/null || ISSUER="$SIM/janssen"
PSQL() { psql -h 127.0.0.1 -p $((BASE + 432)) -U postgres -d jitsiops -tAc "$1"; }

{
  echo "name: bench-$JVBS-bridges"
  echo "jitsi:"
  echo "  jvb:"
  for i in $(seq 1 "$JVBS"); do
    echo "    - {name: jvb-b$i, url: '$SIM/jvb/jvb-$(( (i % 2) + 1 ))', metricsInterval: ${INTERVAL}s, qualityInterval: ${INTERVAL}s, timeout: 4s}"
  done
} > "$OUT/deployment.yaml"

echo "== 1. ingest: $CONNECTIONS connections posting batches of $BATCH samples for ${INGEST_SECONDS}s =="
echo "name: bench-ingest" > "$OUT/deployment-empty.yaml"
JITSIOPS_DEPLOYMENT_FILE="$OUT/deployment-empty.yaml" JITSIOPS_KAFKA_BOOTSTRAP="127.0.0.1:$((BASE + 92))" \
JITSIOPS_DB_REACTIVE_URL="postgresql://127.0.0.1:$((BASE + 432))/jitsiops" JITSIOPS_DB_JDBC_URL="jdbc:postgresql://127.0.0.1:$((BASE + 432))/jitsiops" \
JITSIOPS_DB_USER=postgres JITSIOPS_OIDC_ISSUER="$ISSUER" QUARKUS_HTTP_PORT=$MS_PORT QUARKUS_HTTP_HOST=127.0.0.1 \
  java -Xmx1g ${JFR:+-XX:StartFlightRecording=filename=$OUT/ingest.jfr,settings=profile} \
  -jar "$ROOT/metrics-service/target/quarkus-app/quarkus-run.jar" > "$OUT/metrics-service-ingest.log" 2>&1 &
MS_PID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$MS_PORT/q/health/live" >/dev/null && break; sleep 1; done
TOKEN=$(curl -s -u jitsi-ops:jitsi-ops-local-secret -d grant_type=client_credentials -d audience=jitsi-ops \
  -d roles=jitsi-ops-operator "$ISSUER/jans-auth/restv1/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
javac -d "$OUT/driver" "$HERE/IngestDriver.java" # compiled once: its CPU seconds are then the sending alone
WARMUP=$(java -cp "$OUT/driver" IngestDriver "http://127.0.0.1:$MS_PORT/api/video-metrics" "$TOKEN" 3 "$CONNECTIONS" "$BATCH")  # warm-up
base_rows=$(PSQL "SELECT count(*) FROM metrics.video_sample")
c0=$(cpu_ticks "$MS_PID"); p0=$(pg_ticks); t0=$(date +%s.%N)
DRIVER=$(java -cp "$OUT/driver" IngestDriver "http://127.0.0.1:$MS_PORT/api/video-metrics" "$TOKEN" "$INGEST_SECONDS" "$CONNECTIONS" "$BATCH")
ACCEPTED=$(echo "$DRIVER" | sed -E 's/accepted=([0-9]+).*/\1/')
# Wait until every accepted sample is a row, or the row count stops growing (the bounded buffer dropped the rest).
last=-1; t_last=$(date +%s.%N); still=0
for _ in $(seq 1 240); do
  rows=$(( $(PSQL "SELECT count(*) FROM metrics.video_sample") - base_rows ))
  if [ "$rows" -ne "$last" ]; then last=$rows; t_last=$(date +%s.%N); still=0; else still=$((still + 1)); fi
  [ "$rows" -ge "$ACCEPTED" ] || [ "$still" -ge 6 ] && break; sleep 0.5
done
c1=$(cpu_ticks "$MS_PID"); p1=$(pg_ticks)
RSS=$(ps -o rss= -p "$MS_PID")
DROPPED=$(curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$MS_PORT/q/metrics" \
  | awk '/^jitsi_ops_metrics_buffer_dropped_total\{buffer="postgresql streams"/ {printf "%d", $2}')
echo "$DRIVER"
THROTTLED=$(curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$MS_PORT/q/metrics" \
  | awk '/^jitsi_ops_metrics_client_batches_throttled_total/ {printf "%d", $2}')
echo "batches refused with 503 while PostgreSQL was behind (sent again by the driver): ${THROTTLED:-?}"
echo "rows in PostgreSQL: $rows of $ACCEPTED accepted (dropped oldest by the bounded buffer: ${DROPPED:-?}); into PostgreSQL: $(echo "scale=0; $rows / ($t_last - $t0)" | bc) rows/s"
DRIVER_CPU=$(echo "$DRIVER" | sed -E 's/.*driver_cpu_s=([0-9.]+).*/\1/')
MS_CPU=$(echo "scale=2; ($c1 - $c0) / $HZ" | bc); PG_CPU=$(echo "scale=2; ($p1 - $p0) / $HZ" | bc)
echo "CPU per stored sample: metrics-service $(echo "scale=2; $MS_CPU * 1000000 / $rows" | bc) us, PostgreSQL $(echo "scale=2; $PG_CPU * 1000000 / $rows" | bc) us, driver $(echo "scale=2; $DRIVER_CPU * 1000000 / $rows" | bc) us"
echo "=> service + PostgreSQL alone on 2 cores (nothing else running) could take $(echo "scale=0; 2 * $rows / ($MS_CPU + $PG_CPU)" | bc) samples/s end to end; with the driver on the same cores $(echo "scale=0; 2 * $rows / ($MS_CPU + $PG_CPU + $DRIVER_CPU)" | bc)/s"
echo "load average during the run (other sessions' work shares these cores): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "metrics-service CPU $(echo "scale=2; ($c1 - $c0) / $HZ" | bc)s; RSS $((RSS / 1024)) MB; conference-quality samples: $(PSQL "SELECT count(*) FROM metrics.conference_quality WHERE source = 'client'")"
# Kafka: every accepted sample is summed into a per-room conference-quality event (its "samples" field); read the
# topic back and add them up (the driver's warm-up samples included, hence the sum over both).
sleep 6 # one quality window: the last rooms' sums are published
WARM=$(echo "$WARMUP" | sed -E 's/accepted=([0-9]+).*/\1/')
java -cp "$ROOT/deploy/servers/kafka/target/lib/*" org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "127.0.0.1:$((BASE + 92))" \
  --topic jitsi-ops.metrics --from-beginning --timeout-ms 15000 2>/dev/null > "$OUT/metrics-topic.jsonl" || true
KAFKA_SAMPLES=$(grep '"source":"client"' "$OUT/metrics-topic.jsonl" | grep -o '"samples":[0-9]*' | awk -F: '{s += $2} END {printf "%d", s}')
echo "Kafka: $(grep -c '"source":"client"' "$OUT/metrics-topic.jsonl") conference-quality events carrying $KAFKA_SAMPLES samples of $((ACCEPTED + WARM)) accepted (warm-up included)"
if [ -n "${JFR:-}" ]; then
  kill "$MS_PID"; wait "$MS_PID" 2>/dev/null || true; MS_PID=
  jfr print --events jdk.ExecutionSample "$OUT/ingest.jfr" | awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); top[$0]++} END {for (f in top) print top[f], f}' \
    | sort -rn | head -25 > "$OUT/ingest-jfr-top-frames.txt"
  echo "JFR: top frames in $OUT/ingest-jfr-top-frames.txt"
fi

[ -n "${MS_PID:-}" ] && { kill "$MS_PID"; wait "$MS_PID" 2>/dev/null || true; MS_PID=; }
[ "${ONLY:-}" = ingest ] && exit 0 # ONLY=ingest: the first part alone (about 2 minutes)
JITSIOPS_DEPLOYMENT_FILE="$OUT/deployment.yaml" JITSIOPS_KAFKA_BOOTSTRAP="127.0.0.1:$((BASE + 92))" \
JITSIOPS_DB_REACTIVE_URL="postgresql://127.0.0.1:$((BASE + 432))/jitsiops" JITSIOPS_DB_JDBC_URL="jdbc:postgresql://127.0.0.1:$((BASE + 432))/jitsiops" \
JITSIOPS_DB_USER=postgres JITSIOPS_OIDC_ISSUER="$ISSUER" QUARKUS_HTTP_PORT=$MS_PORT QUARKUS_HTTP_HOST=127.0.0.1 \
  java -Xmx1g -jar "$ROOT/metrics-service/target/quarkus-app/quarkus-run.jar" > "$OUT/metrics-service.log" 2>&1 &
MS_PID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$MS_PORT/q/health/live" >/dev/null && break; sleep 1; done
scrapes() { curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$MS_PORT/q/metrics" \
  | awk '/^jitsi_ops_metrics_scrapes_total/ {s += $2} END {printf "%d", s}'; }
echo "== 2. scraping $JVBS bridges every ${INTERVAL}s (/metrics + /debug?full=true), ${DURATION}s measured =="
sleep $((INTERVAL * 3))
s0=$(scrapes); c0=$(cpu_ticks "$MS_PID")
sleep "$DURATION"
s1=$(scrapes); c1=$(cpu_ticks "$MS_PID")
RSS=$(ps -o rss= -p "$MS_PID")
SCR=$((s1 - s0)); CPU=$(echo "scale=2; ($c1 - $c0) / $HZ" | bc)
echo "scrapes: $SCR in ${DURATION}s (expected $((JVBS * 2 * DURATION / INTERVAL))); metrics-service CPU ${CPU}s"
echo "CPU per scrape: $(echo "scale=3; $CPU * 1000 / $SCR" | bc) ms; RSS $((RSS / 1024)) MB"
curl -s "http://127.0.0.1:$MS_PORT/api/metrics/targets" > "$OUT/targets.json"
echo "endpoints down at the end: $(grep -o '"up":false' "$OUT/targets.json" | wc -l)"
curl -s -H 'Accept: text/plain; version=0.0.4' "$SIM/jvb/jvb-1/metrics" > "$OUT/jvb-1.prom"

# the metrics-service stops scraping before the parse: until session 34 it went on scraping 500 bridges beside the
# parsers (run-all of 2026-12-02: 20.2 MB/s under a load average of 8.7; 160-216 MB/s on the same file alone)
kill "$MS_PID"; wait "$MS_PID" 2>/dev/null || true; MS_PID=
echo "== 3. parse: jitsi-ops parser vs promtool check metrics, same file =="
java -cp "$ROOT/metrics-service/target/quarkus-app/app/metrics-service-0.1.0-SNAPSHOT.jar" "$HERE/MakePayload.java" "$OUT/jvb-1.prom" "$OUT/big.prom" 8
SIZE=$(stat -c %s "$OUT/big.prom")
OURS=$(java -cp "$ROOT/metrics-service/target/quarkus-app/app/metrics-service-0.1.0-SNAPSHOT.jar" "$HERE/ParseBench.java" "$OUT/big.prom" 20)
best=999
for _ in 1 2 3; do
  s=$(date +%s.%N); promtool check metrics < "$OUT/big.prom" > "$OUT/promtool.out" 2>&1 || true; e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc); best=$(echo "if ($t < $best) $t else $best" | bc)
done
echo "$OURS"
echo "promtool check metrics (parse + lint, process included): $(echo "scale=1; $SIZE / 1048576 / $best" | bc) MB/s (best of 3, $SIZE bytes)"
OURS_MBS=$(echo "$OURS" | sed -E 's/.*parser: ([0-9.]+) MB.*/\1/')
echo "ratio jitsi-ops parser / promtool: $(echo "scale=1; $OURS_MBS / ($SIZE / 1048576 / $best)" | bc)"
