#!/usr/bin/env bash
# Runs every service's benchmark, each side by side with its named peer, on the machine it runs on, and writes
# bench/RESULTS.md: machine (cores, memory, CPU model), date, commit, and each benchmark's own figures and ratios
# (its printed summary, verbatim) with how long it ran and whether it finished.
#
#   bench/health-probes/run.sh  health-service vs prometheus-blackbox-exporter (CPU per probe)
#   bench/alerts/run.sh         alert-service vs Prometheus Alertmanager (intake, fan-out, latency, RSS)
#   bench/alerts/replicas.sh    two alert-service replicas, kill -9 mid-burst (lost / duplicated)
#   bench/alerts/events.sh      alert-service: bridge samples on Kafka through the default rules (events/s; no peer)
#   bench/metrics/run.sh        metrics-service (500 JVB scrapes, ingest) and its parser vs promtool
#   bench/logs/run.sh           log-service parse rate, tail -> Kafka vs rsyslog imfile+omkafka
#   bench/backup/run.sh         backup-service vs restic to the same S3 server (backup and restore)
#
# Builds the modules once first (tests compiled, not run). Peers are Debian packages each script installs as
# root. Benchmarks run one after another, never in parallel: ratios are only meaningful within one run on one
# machine. A benchmark that fails is reported as failed and the others still run.
# Every benchmark's ports lie below the kernel's ephemeral range (32768-60999 here; bases 28000 and 29000), as the
# test kit's do since session 30: a port inside it can be held by an outgoing connection's local port or by its
# TIME_WAIT, and in session 39 alerts, alerts-replicas, alerts-events and metrics all failed with "Address already in
# use" in the minute after health-probes' 2,000 targets, when the bases were 38000 and 39000.
# Usage: bench/run-all.sh [area ...]     (areas: health-probes alerts alerts-replicas alerts-events metrics logs backup)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OUT="$HERE/target/run-all"
RESULTS="$HERE/RESULTS.md"
mkdir -p "$OUT"

declare -A SCRIPT=(
  [health-probes]=health-probes/run.sh
  [alerts]=alerts/run.sh
  [alerts-replicas]=alerts/replicas.sh
  [alerts-events]=alerts/events.sh
  [metrics]=metrics/run.sh
  [logs]=logs/run.sh
  [backup]=backup/run.sh
)
ORDER=(health-probes alerts alerts-replicas alerts-events metrics logs backup)
if [ $# -gt 0 ]; then
  for a in "$@"; do [ -n "${SCRIPT[$a]:-}" ] || { echo "unknown area '$a' (known: ${ORDER[*]})" >&2; exit 2; }; done
  ORDER=("$@")
fi

echo "[run-all] building (tests compiled, not run)"
if ! (cd "$ROOT" && ./mvnw -B -q -o -T 2 install -DskipTests >"$OUT/build.log" 2>&1 \
      || ./mvnw -B -q -T 2 install -DskipTests >"$OUT/build.log" 2>&1); then
  echo "[run-all] build failed: see $OUT/build.log" >&2
  exit 1
fi

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$([ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] && echo " (with uncommitted changes)" || true)
{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run-all.sh\`; every figure below was measured in this one run, on this machine."
  echo "Absolute figures differ between machines and runs: compare the ratios, which were measured side by side."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| commit | \`$commit\`$dirty |"
  echo "| cores | $(nproc) ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)) |"
  echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
  echo "| OS | $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") |"
  echo "| Java | $(java -version 2>&1 | head -1) |"
  echo
} >"$RESULTS.new"

for area in "${ORDER[@]}"; do
  script="${SCRIPT[$area]}"
  log="$OUT/$area.log"
  echo "[run-all] $area: bench/$script"
  t0=$(date +%s)
  bash "$HERE/$script" >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - t0 ))
  status=$([ $rc -eq 0 ] && echo "finished" || echo "FAILED (exit $rc)")
  echo "[run-all] $area: $status in ${secs}s"
  {
    echo "## $area — \`bench/$script\`: $status in ${secs} s"
    echo
    echo '```'
    # The scripts' own summaries: everything they print except progress noise from servers and Maven.
    grep -vE '^\[(INFO|WARNING|testkit)\]|^[[:space:]]*$|Downloading|Downloaded' "$log" | tail -n 60
    echo '```'
    echo
  } >>"$RESULTS.new"
done
mv "$RESULTS.new" "$RESULTS"
echo "[run-all] wrote $RESULTS"
