#!/usr/bin/env bash
# Benchmark: the health-service probing TARGETS simulated targets (nginx answering /about/health) every
# INTERVAL seconds, with its full pipeline (flap damping, Kafka, PostgreSQL); then Debian's
# prometheus-blackbox-exporter probing the same targets at the same rate. Prints both and the CPU ratio.
# Loopback only, bounded in time. Usage: bench/health-probes/run.sh   (TARGETS=2000 INTERVAL=10 DURATION=60)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/target"
TARGETS="${TARGETS:-2000}"
INTERVAL="${INTERVAL:-10}"
DURATION="${DURATION:-60}"
# port base below the kernel's ephemeral range (why: bench/run-all.sh)
BASE=28000
NGINX_PORT=28380
BB_PORT=28115
mkdir -p "$OUT"

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v prometheus-blackbox-exporter >/dev/null || need+=(prometheus-blackbox-exporter)
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of one process, in clock ticks
HZ=$(getconf CLK_TCK)

# --- the targets: one nginx, a path per target ---
mkdir -p "$OUT/nginx"
cat > "$OUT/nginx/nginx.conf" <<NGX
worker_processes 1;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$NGINX_PORT; location / { return 200 "ok"; } }
}
NGX
nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx"
cleanup() {
  [ -f "$OUT/nginx/nginx.pid" ] && kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true
  [ -n "${BB_PID:-}" ] && kill "$BB_PID" 2>/dev/null || true
  JITSIOPS_PORT_BASE=$BASE JITSIOPS_STATE_DIR="$OUT/state" JITSIOPS_DEPLOYMENT_FILE="$OUT/deployment.yaml" \
    "$ROOT/deploy/local/stack.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- jitsi-ops: TARGETS jicofo-style targets, one check each ---
{
  echo "name: bench-$TARGETS-targets"
  echo "jitsi:"
  echo "  jicofo:"
  for i in $(seq 0 $((TARGETS - 1))); do
    echo "    - {name: t$i, url: 'http://127.0.0.1:$NGINX_PORT/t/$i', interval: ${INTERVAL}s, timeout: 2s}"
  done
  echo "backup:"                      # the backup-service refuses to start without its section and a key
  echo "  localDir: $OUT/backups"
  echo "  encryption: {keyFile: $OUT/backup.key}"
} > "$OUT/deployment.yaml"
head -c 32 /dev/urandom | base64 > "$OUT/backup.key"
rm -rf "$OUT/state"
JITSIOPS_PORT_BASE=$BASE JITSIOPS_STATE_DIR="$OUT/state" JITSIOPS_DEPLOYMENT_FILE="$OUT/deployment.yaml" \
  "$ROOT/deploy/local/stack.sh" up > "$OUT/stack-up.log"
HS_PID=$(awk '{print $1}' "$OUT/state/pids/health-service.pid")
KAFKA_PID=$(awk '{print $1}' "$OUT/state/pids/kafka.pid")
PG_PID=$(awk '{print $1}' "$OUT/state/pids/postgres.pid")
METRICS="http://127.0.0.1:$((BASE + 101))/q/metrics"
echo "jitsi-ops health-service: $TARGETS targets every ${INTERVAL}s; warming up for $((INTERVAL * 2))s"
sleep $((INTERVAL * 2))
curl -s -H 'Accept: text/plain; version=0.0.4' "$METRICS" > "$OUT/before.prom"
hs0=$(cpu_ticks "$HS_PID"); k0=$(cpu_ticks "$KAFKA_PID"); p0=$(sum=0; for p in $(pgrep -P "$PG_PID") "$PG_PID"; do sum=$((sum + $(cpu_ticks "$p"))); done; echo $sum)
sleep "$DURATION"
curl -s -H 'Accept: text/plain; version=0.0.4' "$METRICS" > "$OUT/after.prom"
hs1=$(cpu_ticks "$HS_PID"); k1=$(cpu_ticks "$KAFKA_PID"); p1=$(sum=0; for p in $(pgrep -P "$PG_PID") "$PG_PID"; do sum=$((sum + $(cpu_ticks "$p"))); done; echo $sum)
JO=$(python3 "$HERE/prom_quantile.py" "$OUT/before.prom" "$OUT/after.prom")
JO_CHECKS=$(echo "$JO" | sed -E 's/.*checks_completed=([0-9]+).*/\1/')
HS_CPU=$(echo "scale=2; ($hs1 - $hs0) / $HZ" | bc)
PIPE_CPU=$(echo "scale=2; ($hs1 - $hs0 + $k1 - $k0 + $p1 - $p0) / $HZ" | bc)
JITSIOPS_PORT_BASE=$BASE JITSIOPS_STATE_DIR="$OUT/state" JITSIOPS_DEPLOYMENT_FILE="$OUT/deployment.yaml" \
  "$ROOT/deploy/local/stack.sh" down > /dev/null

# --- blackbox_exporter, same targets, same rate ---
cat > "$OUT/blackbox.yml" <<BB
modules:
  http_2xx:
    prober: http
    timeout: 2s
    http:
      preferred_ip_protocol: ip4
BB
prometheus-blackbox-exporter --config.file="$OUT/blackbox.yml" --web.listen-address=127.0.0.1:$BB_PORT \
  > "$OUT/blackbox.log" 2>&1 &
BB_PID=$!
sleep 1
java "$HERE/RateDriver.java" "http://127.0.0.1:$BB_PORT" "http://127.0.0.1:$NGINX_PORT/t/%d/about/health" \
  "$TARGETS" "$INTERVAL" 5 > /dev/null   # warm-up
bb0=$(cpu_ticks "$BB_PID")
BB=$(java "$HERE/RateDriver.java" "http://127.0.0.1:$BB_PORT" "http://127.0.0.1:$NGINX_PORT/t/%d/about/health" \
  "$TARGETS" "$INTERVAL" "$DURATION")
bb1=$(cpu_ticks "$BB_PID")
BB_CPU=$(echo "scale=2; ($bb1 - $bb0) / $HZ" | bc)
BB_PROBES=$(echo "$BB" | sed -E 's/probes=([0-9]+).*/\1/')

echo
echo "== jitsi-ops health-service ($TARGETS targets / ${INTERVAL}s, ${DURATION}s measured) =="
echo "$JO"
echo "health-service CPU: ${HS_CPU}s; with Kafka and PostgreSQL: ${PIPE_CPU}s"
echo "== prometheus-blackbox-exporter (same targets, same rate, driven like Prometheus would) =="
echo "$BB"
echo "blackbox_exporter CPU: ${BB_CPU}s"
echo "== per 1000 probes =="
echo "health-service CPU ms/1000 checks: $(echo "scale=1; $HS_CPU * 1000000 / $JO_CHECKS" | bc)"
echo "health-service + Kafka + PostgreSQL CPU ms/1000 checks: $(echo "scale=1; $PIPE_CPU * 1000000 / $JO_CHECKS" | bc)"
echo "blackbox_exporter CPU ms/1000 probes: $(echo "scale=1; $BB_CPU * 1000000 / $BB_PROBES" | bc)"
echo "ratio health-service / blackbox_exporter (CPU per probe): $(echo "scale=2; ($HS_CPU * $BB_PROBES) / ($BB_CPU * $JO_CHECKS)" | bc)"
echo "ratio with Kafka and PostgreSQL: $(echo "scale=2; ($PIPE_CPU * $BB_PROBES) / ($BB_CPU * $JO_CHECKS)" | bc)"
