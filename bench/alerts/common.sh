# Shared by the alert-service benchmarks (run.sh, replicas.sh, owner-lag.sh), sourced once ROOT and HERE are set (its
# functions read OUT and STATE when called): the test kit's Kafka, PostgreSQL and simulator (Infra.java), the
# deployment description, and the start of one alert-service process on them.
# port base below the kernel's ephemeral range (why: bench/run-all.sh)
BASE=29000
stack() { JITSIOPS_ROOT="$ROOT" java -cp "$ROOT/deploy/testkit/target/testkit-0.1.0-SNAPSHOT.jar" "$HERE/Infra.java" "$1" "$STATE" $BASE; }
# the rules: block of the benchmarks' rules files: one rule NAME, fired by a health status DOWN (what the drivers
# produce on Kafka); each script adds its own route
down_rule() {
  cat <<YAML
rules:
  - name: $1
    input: health_status
    metric: health.status
    threshold: 2
    severity: critical
    summary: "{labels.target} is DOWN"
    description: "bench"
YAML
}
# the deployment description alert-service reads the derived shard label from (one bridge named, as a real one would)
write_deployment() {
  cat > "$OUT/deployment.yaml" <<YAML
name: bench-alerts
jitsi:
  jvb:
    - name: jvb-1
      url: http://127.0.0.1:9/jvb-1
      shard: shard-1
YAML
}
# alert_service JAR PORT LOG PG_PORT [java options...]: one replica in the background ($! is its PID), on the test
# kit's servers, with the rules of $OUT/rules.yaml; its reactive client goes to PG_PORT (owner-lag.sh puts a proxy
# there), its schema migrations straight to PostgreSQL. Callers add the intake token or receivers as -D options.
alert_service() {
  local jar=$1 port=$2 log=$3 pg=$4
  shift 4
  JITSIOPS_KAFKA_BOOTSTRAP=127.0.0.1:$((BASE + 92)) \
  JITSIOPS_DB_REACTIVE_URL=postgresql://127.0.0.1:$pg/jitsiops \
  JITSIOPS_DB_JDBC_URL=jdbc:postgresql://127.0.0.1:$((BASE + 432))/jitsiops JITSIOPS_DB_USER=postgres \
  JITSIOPS_OIDC_ISSUER=http://127.0.0.1:$((BASE + 80))/janssen \
  JITSIOPS_ALERT_RULES_FILE="$OUT/rules.yaml" JITSIOPS_DEPLOYMENT_FILE="$OUT/deployment.yaml" \
    java "$@" -Dquarkus.http.port="$port" -jar "$jar" > "$log" 2>&1 &
}
# waits until the replica on PORT answers its liveness probe (up to 60 s)
await_live() {
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$1/q/health/live" >/dev/null && return 0; sleep 0.5; done
  echo "the alert-service on port $1 did not come up" >&2
  return 1
}
# the JVM flags of the services' images (root pom.xml, quarkus.jib.jvm-additional-arguments), space-separated
image_jvm_flags() { grep -oE '<quarkus.jib.jvm-additional-arguments>[^<]+' "$ROOT/pom.xml" | cut -d'>' -f2 | tr ',' ' '; }
# --- what a process costs, from /proc (run.sh, events.sh) ---
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
# CPU time of a process so far in clock ticks (utime + stime, fields 14 and 15 of /proc/PID/stat)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# of which in user mode (utime): the rest is the kernel's, mostly the sockets' system calls
user_ticks() { awk '{print $14}' "/proc/$1/stat"; }
# the CPU ticks of the stack's PostgreSQL (postmaster and its backends) and of its Kafka broker: what a round costs
# beside the server under test, on the same two cores
stack_ticks() { echo $(( $(pg_ticks) + $(kafka_ticks) )); }
# … of PostgreSQL alone (postmaster and its backends) and of the Kafka broker alone
pg_ticks() {
  local pm
  pm=$(head -1 "$STATE/postgres/data/postmaster.pid" 2>/dev/null || true)
  ticks_of $pm $( [ -n "$pm" ] && ps --ppid "$pm" -o pid= )
}
kafka_ticks() { ticks_of $(pgrep -f "kafka.Kafka $STATE" || true); }
ticks_of() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done | awk '{s += $1} END {print s + 0}'; }
# THREAD_CPU=1: the service's CPU-s since its start by thread (name, numbers folded: event loops, JIT compilers, GC…),
# the ten largest: how much of a round's CPU the JIT and the collector took, which a Java profile does not show
thread_cpu() {
  for t in /proc/$1/task/*; do
    printf '%s\t%s\n' "$(tr -d '0-9' < "$t/comm")" "$(awk '{print $14 + $15}' "$t/stat")"
  done | awk -F'\t' -v hz="$(getconf CLK_TCK)" '{s[$1] += $2} END {for (k in s) printf "%.2f\t%s\n", s[k] / hz, k}' \
    | sort -rn | head -10 | awk -F'\t' '{printf "thread_cpu_s %s=%s\n", $2, $1}'
}
secs() { python3 -c "import os,sys; print('%.2f' % ((int(sys.argv[2]) - int(sys.argv[1])) / os.sysconf('SC_CLK_TCK')))" "$1" "$2"; }
# a counter's growth per item, times FACTOR: per_item BEFORE AFTER ITEMS FACTOR ('n/a' for no items)
per_item() { python3 -c "import sys; n=int(sys.argv[3] or 0); print('%.1f' % ((int(sys.argv[2]) - int(sys.argv[1])) * float(sys.argv[4]) / n) if n else 'n/a')" "$1" "$2" "$3" "$4"; }
# microseconds of CPU per item from two clock-tick readings: per_alert_us BEFORE AFTER ITEMS
per_alert_us() { per_item "$1" "$2" "$3" "$(python3 -c "import os; print(1e6 / os.sysconf('SC_CLK_TCK'))")"; }
