#!/usr/bin/env bash
# Benchmark of the log-service, side by side with rsyslog in one run:
#  1. parse + categorise on one core (taskset): the service's own splitter, assembler, JVB/jicofo parser and
#     default rules over a generated file of LINES lines in JitsiLogFormatter's shape (ParseBench);
#  2. tail -> Kafka on the same file: the packaged log-service (deploy/local/stack.sh, real Kafka and
#     PostgreSQL, every entry parsed, categorised, shipped and acknowledged before its cursor is stored), then
#     Debian's rsyslog (imfile + omkafka, raw lines, no parsing) into the same broker.
# Both sides warm up first, the same way: each ships a file of WARM lines (default 200,000) from the start. Then ROUNDS
# (default 3) alternated rounds: in each, the measured LINES are appended to each side's file (cat >>) and timed from
# the start of the append until the round's 1,000,000th (LINES-th) line is in Kafka (log-service: its cursor stored
# past it, i.e. acknowledged; rsyslog: the topic's end offsets), each watched by one JVM started a few seconds before
# the clock (CursorWait, OffsetWait; a look every 50 ms); the side that goes first alternates from round to round.
# Prints each round, the medians and the median ratio.
# The clock's end (stop 22, third round): right after the LINES, ONE more line is appended to both sides' files — the
# first line of a next entry, a JVB line of the same shape — and is not counted. Until then the log-service's clock
# ended with the file's last entry, which the service holds for multiline-flush (1 s; its continuation lines could
# still come, and nothing followed it in the bench) plus up to one poll-interval: ~1.0-1.25 s of each ~4.1-4.5 s round
# was that fixed wait at the end of the data, not throughput (rsyslog ships raw lines, it has none). With the line
# beyond, the last measured entry is complete when it is read, on both sides alike; the line beyond's own arrival is
# printed apart, as the log-service's "end-of-data flush latency" (and what the old clock would have read), and
# rsyslog's as well. The JVM's JIT warm-up is outside the figures, as rsyslog has none; both
# processes are started and have shipped WARM lines before their first clock starts.
# Prints lines/s, MB/s, CPU seconds (of the measured part), peak RSS and the ratios, and for each side where the
# machine's CPU went during its tail phase: the shipper, the Kafka broker, PostgreSQL (postmaster and backends), the
# stack's other services, the bench driver (this script and its watcher) and the machine's busy share — what tells where
# the bound is (the machine is shared: busy minus the listed parts is other work). Loopback only, bounded in time.
# (The stack starts every service; the backup-service needs a backup section with an encryption key: a local
# folder and a generated key.)
# Usage: flock /tmp/jitsiops-maven.lock bash bench/logs/run.sh     (LINES=1000000 WARM=200000 ROUNDS=3)
#        PROFILE=1 also records the log-service's first round with JFR (jcmd JFR.start/stop, settings=profile)
#        into target/log-service.jfr and prints its top sampled frames and, per thread, its samples and where it
#        waited (parks, monitor waits, socket reads/writes over 1 ms: JfrWaits).
#        BASE=30000 another port base (when another bench's stack holds 29000's ports; keep it below 32000:
#        ports in the kernel's ephemeral range can be held by outgoing connections).
#        The log-service's own settings go through the environment (the stack's services inherit it), e.g.
#        JITSIOPS_LOGS_PUBLISH_COMPRESSION=none|lz4|snappy JITSIOPS_LOGS_PUBLISH_LINGER=0ms
#        JITSIOPS_LOGS_TAIL_STEPS_IN_FLIGHT=2 (1 by default): printed with the figures.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/target"
LINES="${LINES:-1000000}"
WARM="${WARM:-200000}"
ROUNDS="${ROUNDS:-3}" # alternated measured rounds per side
# port base below the kernel's ephemeral range (why: bench/run-all.sh)
BASE="${BASE:-29000}" # (another port base when a stack of another bench holds these ports)
KAFKA="127.0.0.1:$((BASE + 92))"
mkdir -p "$OUT"
HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU ticks of a process with its children: its own, its reaped children's (cutime + cstime: PostgreSQL's backends
# that ended, this script's psql and watcher processes) and its live children's.
tree_ticks() {
  local t c
  t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0)
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    [ "$c" = "${2:-}" ] && continue # (rsyslogd, a child of this script, is counted on its own)
    t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
# One snapshot of where the machine's CPU goes: the measured shipper, the Kafka broker, PostgreSQL (postmaster and
# backends), the stack's other services, this script with its children (the bench driver) and the machine's busy ticks.
pid_of() { awk '{print $1}' "$OUT/state/pids/$1.pid"; }
cpu_snapshot() { # $1: the shipper's pid
  local others=0 s
  for s in health-service metrics-service alert-service backup-service s3proxy greenmail; do
    [ -f "$OUT/state/pids/$s.pid" ] && others=$((others + $(tree_ticks "$(pid_of $s)")))
  done
  echo "$(tree_ticks "$1") $(tree_ticks "$(pid_of kafka)") $(tree_ticks "$(pid_of postgres)") $others $(tree_ticks $$ "${RS_PID:-}") $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat)"
}
cpu_report() { # $1 name, $2 before, $3 after, $4 wall seconds
  echo "$2 $3 $4" | awk -v hz="$HZ" -v name="$1" -v cores="$(nproc)" '{
    n = 6; split("shipper kafka postgresql other-services bench-driver", label, " ")
    printf "  CPU during %s'"'"'s tail phase (%.2f s wall, %d cores = %.2f CPU-s):", name, $13, cores, $13 * cores
    for (i = 1; i <= 5; i++) printf " %s %.2f s,", (i == 1 ? name : label[i]), ($(i + n) - $i) / hz
    printf " machine busy %.2f s (%.0f%%)\n", ($12 - $6) / hz, 100 * ($12 - $6) / hz / ($13 * cores) }'
}
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
now() { date +%s.%N; }
# The measured phase of one side, the same for both: $FILE appended to the watched file $2 while the shipper $1 runs;
# then the line beyond ($NEXT_FILE, not counted); ends when the side's end watcher (already started, its output read
# on $WAIT_FD) printed REACHED with its time (copied into $3). Sets PHASE_SECS (append -> the LINES-th line in Kafka),
# PHASE_CPU (the shipper's CPU seconds), PHASE_S0/PHASE_S1 (cpu_snapshot before/after) and PHASE_WALL (seconds from
# the append until the driver read REACHED); then, outside the clock and the CPU figures, waits for the watcher's NEXT
# (the line beyond in Kafka) and sets NEXT_AFTER_END (seconds after the LINES-th line) and NEXT_AFTER_APPEND (seconds
# after the append started: the old clock's reading, which ended with the file's last entry).
measured_append() {
  local pid=$1 watched=$2 endfile=$3 name=$4 c0 c1 t0 t1 w1 line="" tn
  PHASE_S0=$(cpu_snapshot "$pid")
  c0=$(cpu_ticks "$pid")
  t0=$(now)
  cat "$FILE" "$NEXT_FILE" >> "$watched" # the LINES, then the first line of a next entry (one write stream)
  read -r -t 240 -u "$WAIT_FD" line || true # the watcher's first line: REACHED (the LINES-th line in Kafka) or TIMEOUT
  c1=$(cpu_ticks "$pid")
  PHASE_S1=$(cpu_snapshot "$pid")
  w1=$(now)
  echo "$line" > "$endfile"
  if [ "${line%% *}" = REACHED ]; then
    t1=$(awk '/REACHED/ {printf "%.3f", $2 / 1000}' "$endfile")
  else
    echo "$name did not finish within 240 s: $line"
    t1=$(now)
  fi
  PHASE_SECS=$(echo "$t1 - $t0" | bc)
  PHASE_CPU=$(echo "scale=2; ($c1 - $c0) / $HZ" | bc)
  PHASE_WALL=$(echo "$w1 - $t0" | bc)
  line=""
  read -r -t 60 -u "$WAIT_FD" line || true # NEXT: the line beyond in Kafka (after the clock)
  echo "$line" >> "$endfile"
  if [ "${line%% *}" = NEXT ]; then
    tn=$(echo "$line" | awk '{printf "%.3f", $2 / 1000}')
    NEXT_AFTER_END=$(echo "$tn - $t1" | bc)
    NEXT_AFTER_APPEND=$(echo "$tn - $t0" | bc)
  else
    echo "  $name: the line beyond was not in Kafka within 60 s: $line"
    NEXT_AFTER_END=""; NEXT_AFTER_APPEND=""
  fi
  wait "$WAIT_PID" 2>/dev/null || true
  exec {WAIT_FD}<&-
}

APP="$ROOT/log-service/target/quarkus-app"
[ -f "$APP/quarkus-run.jar" ] || { echo "build first: mvnl -B -o install -DskipTests -pl log-service"; exit 1; }
[ -d "$ROOT/log-service/target/test-classes/io/jitsiops/log/bench" ] || { echo "compile the tests first: mvnl -B -o test-compile -pl log-service"; exit 1; }
CP="$ROOT/log-service/target/test-classes:$ROOT/log-service/target/classes:$APP/lib/main/*"
FILE="$OUT/jvb-$LINES.log"
[ -f "$FILE" ] || java -cp "$CP" io.jitsiops.log.bench.ParseBench generate "$FILE" "$LINES"
WARM_FILE="$OUT/jvb-warm-$WARM.log"
[ -f "$WARM_FILE" ] || java -cp "$CP" io.jitsiops.log.bench.ParseBench generate "$WARM_FILE" "$WARM"
WARM_SIZE=$(stat -c %s "$WARM_FILE")
WARM_LINES=$(wc -l < "$WARM_FILE")
FILE_LINES=$(wc -l < "$FILE")
SIZE=$(stat -c %s "$FILE")
# The line beyond each round's LINES: the first line of a next entry, in ParseBench's INFO shape (the line after the
# file's last one: 3 ms later, the next packet count), appended to both sides and not counted.
NEXT_FILE="$OUT/next-entry.log"
echo "JVB 2026-11-29 08:49:00.000 INFO: [44] [confId=db3f603986f2eeeb conf_name=room0@conference.meet.jitsi meeting_id=4c334b5b epId=49517bef stats_id=Hilton-Wgl] Endpoint.updateStats#0: Endpoint sent $LINES packets, receive bitrate 1250 kbps, send bitrate 2300 kbps" > "$NEXT_FILE"
NEXT_SIZE=$(stat -c %s "$NEXT_FILE")
MB=$(echo "scale=1; $SIZE / 1048576" | bc)
echo "file: $LINES lines, $MB MiB, appended after a warm-up file of $WARM lines on both sides (JVB/jicofo lines: 90% INFO with context, 7% WARNING, 3% SEVERE + stack trace)"

# --- 1. parse + categorise, one core ---
taskset -c 0 java -Xms512m -Xmx1g -cp "$CP" io.jitsiops.log.bench.ParseBench parse "$FILE" 5 | tee "$OUT/parse.txt"
PARSE=$(sed -n 's/PARSE_LINES_PER_SEC=//p' "$OUT/parse.txt")

# --- 2a. log-service: tail -> Kafka (packaged service, its Kafka and PostgreSQL) ---
need=()
command -v rsyslogd >/dev/null || need+=(rsyslog)
[ -f /usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so ] || need+=(rsyslog-kafka)
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p "$OUT/watch"
rm -f "$OUT/watch/"*
WATCHED="$OUT/watch/jvb.log"
cat > "$OUT/deployment.yaml" <<YAML
name: bench-logs
logs:
  - component: jvb
    path: $WATCHED
    format: jvb
    timeZone: UTC
backup:
  localDir: $OUT/backups
  encryption: {keyFile: $OUT/backup.key}
YAML
head -c 32 /dev/urandom | base64 > "$OUT/backup.key"
export JITSIOPS_PORT_BASE=$BASE JITSIOPS_STATE_DIR="$OUT/state" JITSIOPS_DEPLOYMENT_FILE="$OUT/deployment.yaml"
RS_PID=""
cleanup() {
  [ -n "$RS_PID" ] && kill "$RS_PID" 2>/dev/null || true
  [ -n "${WAIT_PID:-}" ] && kill "$WAIT_PID" 2>/dev/null || true # a watcher left by a failed run
  "$ROOT/deploy/local/stack.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
rm -rf "$OUT/state"
"$ROOT/deploy/local/stack.sh" up > "$OUT/stack-up.log"
LS_PID=$(awk '{print $1}' "$OUT/state/pids/log-service.pid")
PSQL="$(ls /usr/lib/postgresql/*/bin/psql | head -1)"
cursor() { "$PSQL" -h 127.0.0.1 -p $((BASE + 432)) -U postgres -d jitsiops -tAc \
  "SELECT coalesce(max(position), 0) FROM logs.tail_cursor WHERE path = '$WATCHED'" 2>/dev/null || echo 0; }
# The end of each measured round is seen by one JVM, looking every 50 ms, as rsyslog's is (OffsetWait); each round's
# watcher is started WATCHER_LEAD seconds before its clock, so that its own start-up (JIT, connection) is outside it.
WATCHER_LEAD="${WATCHER_LEAD:-3}"
cp "$WARM_FILE" "$OUT/watch/.incoming"
mv "$OUT/watch/.incoming" "$WATCHED"
deadline=$(( $(date +%s) + 120 ))
while [ "$(cursor)" -lt "$WARM_SIZE" ]; do # warm-up, not measured
  [ "$(date +%s)" -lt "$deadline" ] || { echo "log-service did not finish its warm-up within 120 s"; break; }
  sleep 0.1
done

# --- 2b. rsyslog: imfile + omkafka, raw lines, into the same broker (started and warmed up once, then idle while the
# log-service's rounds run, as the log-service idles during rsyslog's) ---
mkdir -p "$OUT/rsyslog" "$OUT/watch-rs"
rm -rf "$OUT/rsyslog/"* "$OUT/watch-rs/"*
cp "$WARM_FILE" "$OUT/watch-rs/jvb.log"
cat > "$OUT/rsyslog.conf" <<CONF
global(workDirectory="$OUT/rsyslog")
module(load="imfile")
module(load="omkafka")
template(name="raw" type="string" string="%msg%")
ruleset(name="tokafka") {
  # librdkafka's default local queue (100,000 messages) overflows while imfile reads a 1M-line file at full
  # speed ("Local: Queue full", the previous run's invalid result): a queue that holds the whole file, and an
  # action queue in front of omkafka, so that rsyslog completes and its rate is a valid figure.
  action(type="omkafka" broker=["$KAFKA"] topic="rsyslog-bench" template="raw"
         confParam=["queue.buffering.max.messages=2000000", "queue.buffering.max.kbytes=2097151", "linger.ms=5"]
         queue.type="LinkedList" queue.size="2000000" queue.dequeueBatchSize="4096")
}
input(type="imfile" File="$OUT/watch-rs/jvb.log" Tag="jvb" Ruleset="tokafka")
CONF
wait_offsets() { java -cp "$CP" io.jitsiops.log.bench.OffsetWait "$KAFKA" rsyslog-bench "$1" "$2"; }
rsyslogd -n -f "$OUT/rsyslog.conf" -i "$OUT/rsyslog/rsyslogd.pid" &
RS_PID=$!
wait_offsets "$WARM_LINES" 120 > "$OUT/rsyslog-warm.txt" # warm-up, not measured
grep -q REACHED "$OUT/rsyslog-warm.txt" || echo "rsyslog did not finish its warm-up: $(cat "$OUT/rsyslog-warm.txt")"
sleep 1
echo "log-service producer: compression ${JITSIOPS_LOGS_PUBLISH_COMPRESSION:-snappy (default)}, linger ${JITSIOPS_LOGS_PUBLISH_LINGER:-5ms (default)}; step (chunk) ${JITSIOPS_LOGS_TAIL_CHUNK_BYTES:-1048576 (default)} bytes, steps in flight per file ${JITSIOPS_LOGS_TAIL_STEPS_IN_FLIGHT:-1 (default)}"

# --- 3. alternated rounds: each round appends the same LINES to each side's file; the side that goes first alternates
# (round 1 log-service first, round 2 rsyslog first, …) so that neither always gets the quieter moment. rsyslog's
# run-to-run spread (149k-239k lines/s over stop 21's runs) made a one-run ratio weak evidence. ---
# The log-service's garbage collections so far (young count, young s, full count, full s), from its perf counters
# (jstat reads them without attaching; outside the clock): stop 22's run with 4 MiB steps cost more CPU, not less.
gc_snapshot() { { jstat -gc "$1" 2>/dev/null || true; } | awk 'NR == 1 {for (i = 1; i <= NF; i++) h[$i] = i} NR == 2 {print $h["YGC"], $h["YGCT"], $h["FGC"], $h["FGCT"]}'; }
log_service_round() { # $1: round
  # the end of the round's LINES (each earlier round also appended its line beyond), then the line beyond's end; the
  # cursor stops exactly at the line beyond's start (held: an entry's start is never passed before it is complete)
  local end=$((WARM_SIZE + $1 * SIZE + ($1 - 1) * NEXT_SIZE))
  exec {WAIT_FD}< <(exec java -cp "$CP" io.jitsiops.log.bench.CursorWait "jdbc:postgresql://127.0.0.1:$((BASE + 432))/jitsiops" postgres \
    "$WATCHED" "$end" 240 $((end + NEXT_SIZE)))
  WAIT_PID=$!
  local gc0 gc1
  gc0=$(gc_snapshot "$LS_PID")
  sleep "$WATCHER_LEAD"
  if [ "${PROFILE:-0}" = 1 ] && [ "$1" = 1 ]; then
    rm -f "$OUT/log-service.jfr"
    # the profile settings with waits recorded from 1 ms (parks, monitor waits, socket reads/writes), not 10 ms
    sed -e 's/>10 ms</>1 ms</' -e 's/>20 ms</>1 ms</' \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$OUT/waits.jfc"
    jcmd "$LS_PID" JFR.start name=bench settings="$OUT/waits.jfc" filename="$OUT/log-service.jfr" >/dev/null
  fi
  measured_append "$LS_PID" "$WATCHED" "$OUT/log-service-end-$1.txt" log-service
  WAIT_PID=""
  local lps mbs mbs_core
  lps=$(echo "scale=0; $LINES / $PHASE_SECS" | bc)
  mbs=$(echo "scale=1; $SIZE / 1048576 / $PHASE_SECS" | bc)
  mbs_core=$(echo "scale=1; $SIZE / 1048576 / $PHASE_CPU" | bc)
  LS_ALL+=("$lps")
  LS_CPUS+=("$PHASE_CPU")
  echo "round $1 log-service: $LINES lines in $PHASE_SECS s = $lps lines/s, $mbs MiB/s; CPU $PHASE_CPU s ($mbs_core MiB per CPU-second)"
  if [ -n "$NEXT_AFTER_END" ]; then
    LS_FLUSH+=("$NEXT_AFTER_END")
    LS_OLD+=("$(echo "scale=0; $LINES / $NEXT_AFTER_APPEND" | bc)")
    echo "  log-service end-of-data flush latency: the line beyond in Kafka $NEXT_AFTER_END s after the round's last line (held for multiline-flush); the old clock (until the file's last entry is in) would read $NEXT_AFTER_APPEND s = ${LS_OLD[-1]} lines/s"
  fi
  cpu_report log-service "$PHASE_S0" "$PHASE_S1" "$PHASE_WALL"
  gc1=$(gc_snapshot "$LS_PID")
  echo "$gc0 $gc1" | awk 'NF == 8 {printf "  log-service GC in round (and its watcher lead): %d young (%.2f s), %d full (%.2f s)\n", $5 - $1, $6 - $2, $7 - $3, $8 - $4}'
  if [ "${PROFILE:-0}" = 1 ] && [ "$1" = 1 ]; then
    jcmd "$LS_PID" JFR.stop name=bench >/dev/null
    echo "JFR (round 1): $OUT/log-service.jfr; top frames of the execution samples:"
    jfr print --events jdk.ExecutionSample "$OUT/log-service.jfr" | grep -A1 "stackTrace = \[" | grep -v "stackTrace\|^--" \
      | sed 's/line:.*//' | sort | uniq -c | sort -rn > "$OUT/profile-top.txt" || true
    head -25 "$OUT/profile-top.txt" # (not piped into head: with pipefail, head's early exit ended the whole run)
    java -cp "$CP" io.jitsiops.log.bench.JfrWaits "$OUT/log-service.jfr" 14 > "$OUT/profile-waits.txt" || true
    cat "$OUT/profile-waits.txt"
  fi
}
rsyslog_round() { # $1: round
  # the round's LINES on top of the warm-up, the earlier rounds and their lines beyond; then one more: the line beyond
  # (the topic has 3 partitions: the count is the round's LINES lines, within the one line beyond)
  local target=$((WARM_LINES + $1 * FILE_LINES + $1 - 1))
  exec {WAIT_FD}< <(exec java -cp "$CP" io.jitsiops.log.bench.OffsetWait "$KAFKA" rsyslog-bench "$target" 240 $((target + 1)))
  WAIT_PID=$!
  sleep "$WATCHER_LEAD"
  measured_append "$RS_PID" "$OUT/watch-rs/jvb.log" "$OUT/rsyslog-end-$1.txt" rsyslog
  WAIT_PID=""
  local lps mbs
  lps=$(echo "scale=0; $LINES / $PHASE_SECS" | bc)
  mbs=$(echo "scale=1; $SIZE / 1048576 / $PHASE_SECS" | bc)
  RS_ALL+=("$lps")
  RS_CPUS+=("$PHASE_CPU")
  echo "round $1 rsyslog:     $LINES lines in $PHASE_SECS s = $lps lines/s, $mbs MiB/s; CPU $PHASE_CPU s (raw lines, no parsing)"
  if [ -n "$NEXT_AFTER_END" ]; then
    echo "  rsyslog: the line beyond in Kafka $NEXT_AFTER_END s after the round's last line ($NEXT_AFTER_APPEND s after the append started)"
  fi
  cpu_report rsyslog "$PHASE_S0" "$PHASE_S1" "$PHASE_WALL"
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
LS_ALL=(); RS_ALL=(); LS_CPUS=(); RS_CPUS=(); RATIOS=(); LS_FLUSH=(); LS_OLD=()
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then
    log_service_round "$r"; rsyslog_round "$r"
  else
    rsyslog_round "$r"; log_service_round "$r"
  fi
  RATIOS+=("$(echo "scale=3; ${LS_ALL[-1]} / ${RS_ALL[-1]}" | bc)")
  echo "round $r ratio log-service/rsyslog lines/s = ${RATIOS[-1]}"
done
LS_MED=$(median "${LS_ALL[@]}")
RS_MED=$(median "${RS_ALL[@]}")
echo "peak RSS: log-service $(peak_rss_mb "$LS_PID") MB, rsyslog $(peak_rss_mb "$RS_PID") MB"
echo "log-service lines/s per round: ${LS_ALL[*]} (median $LS_MED); CPU-s: ${LS_CPUS[*]} (median $(median "${LS_CPUS[@]}"))"
echo "rsyslog     lines/s per round: ${RS_ALL[*]} (median $RS_MED); CPU-s: ${RS_CPUS[*]} (median $(median "${RS_CPUS[@]}"))"
if [ ${#LS_FLUSH[@]} -gt 0 ]; then echo "log-service end-of-data flush latency per round (s): ${LS_FLUSH[*]} (median $(median "${LS_FLUSH[@]}")); old clock (with the flush) lines/s: ${LS_OLD[*]} (median $(median "${LS_OLD[@]}"); against rsyslog's median $(echo "scale=3; $(median "${LS_OLD[@]}") / $RS_MED" | bc))"; fi
echo "ratios: per round ${RATIOS[*]}; median of the rounds' ratios = $(median "${RATIOS[@]}"); median log-service / median rsyslog = $(echo "scale=3; $LS_MED / $RS_MED" | bc); parse+categorise one core = $PARSE lines/s"
