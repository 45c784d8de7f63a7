#!/usr/bin/env bash
# Benchmark: back up a mixed tree plus a PostgreSQL database to S3 (S3Proxy) with the backup-service (tar + gzip
# level 1 + AES-256-GCM, pg_dump -Fc, multipart uploads with Content-MD5), then restore it (the verification restore
# from S3 into a scratch folder and a scratch database); then Debian's restic doing the same on the same data to
# the same S3Proxy (tree + `pg_dump -Fc | restic backup --stdin`, then `restic restore`). Prints both, the
# ratios, and S3Proxy's own PUT ceiling (SDK PUTs from memory). Loopback only.
#
# Usage: flock /tmp/jitsiops-maven.lock bash bench/backup/run.sh     (SIZE_MB=400 by default; SIZE_MB=1024 for 1 GiB)
#        JFR=1: a JFR profile of the verification restore in bench/backup/target/verify.jfr;
#        STAGES=1: the restore stage by stage (RestoreStages.java), without and with the AES-GCM warm-up
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/target"
SIZE_MB="${SIZE_MB:-400}"
DB_SCALE="${DB_SCALE:-5}"          # pgbench scale: 5 = 500,000 account rows
# port base below the kernel's ephemeral range (why: bench/run-all.sh)
BASE=29000
PORT=$((BASE + 114))
S3="http://127.0.0.1:$((BASE + 900))"
PG_PORT=$((BASE + 432))
ACCESS=jitsi-ops-local
SECRET=jitsi-ops-local-secret-key
mkdir -p "$OUT"

command -v restic >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq restic >/dev/null; }
JAR="$ROOT/backup-service/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || { echo "build first: mvnl -B -o -q install -DskipTests -pl backup-service"; exit 1; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

cleanup() {
  [ -n "${SVC_PID:-}" ] && kill "$SVC_PID" 2>/dev/null || true
  JITSIOPS_PORT_BASE=$BASE JITSIOPS_STATE_DIR="$OUT/state" "$ROOT/deploy/local/stack.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- the servers: the local stack (Kafka, PostgreSQL, S3Proxy, the simulator's Janssen for the admin token) ---
rm -rf "$OUT/state" "$OUT/tree" "$OUT/backups" "$OUT/restic-restore"
JITSIOPS_PORT_BASE=$BASE JITSIOPS_STATE_DIR="$OUT/state" "$ROOT/deploy/local/stack.sh" up > "$OUT/stack-up.log"
# Only the servers are needed (the bench runs its own backup-service): the stack's five services would probe,
# scrape, tail and schedule in the background, on the same two cores, while the two tools are measured.
for svc in health-service metrics-service log-service backup-service alert-service; do
  [ -f "$OUT/state/pids/$svc.pid" ] && kill "$(cat "$OUT/state/pids/$svc.pid")" 2>/dev/null || true
done
mkdir -p "$OUT/state/s3proxy/blobs/bench-jitsiops" "$OUT/state/s3proxy/blobs/bench-restic"

# --- the data: SIZE_MB of a mixed tree (40% incompressible media, 35% text logs, 25% small config files) ---
python3 - "$OUT/tree" "$SIZE_MB" <<'PY'
import os, random, sys
root, size = sys.argv[1], int(sys.argv[2]) << 20
random.seed(7)
os.makedirs(root, exist_ok=True)
def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f: f.write(data)
media, logs, small = int(size * .40), int(size * .35), int(size * .25)
n = 0
while media > 0:
    chunk = min(media, random.randint(8, 48) << 20); put(f"{root}/media/rec-{n}.webm", os.urandom(chunk)); media -= chunk; n += 1
words = [b"jvb", b"conference", b"endpoint", b"INFO", b"WARNING", b"stats", b"bitrate", b"packetLoss", b"room", b"focus"]
n = 0
while logs > 0:
    lines = []; total = 0; target = min(logs, random.randint(2, 16) << 20)
    while total < target:
        l = b"2026-11-29 08:%02d:%02d.%03d " % (random.randrange(60), random.randrange(60), random.randrange(1000)) + b" ".join(random.choice(words) for _ in range(12)) + b" id=%d\n" % random.randrange(10**9)
        lines.append(l); total += len(l)
    put(f"{root}/logs/jvb-{n}.log", b"".join(lines)); logs -= total; n += 1
n = 0
while small > 0:
    k = random.randint(4, 64) << 10
    body = (b"# generated config %d\n" % n) + os.urandom(k // 2).hex().encode()[: k]
    put(f"{root}/etc/d{n % 50}/conf-{n}.conf.txt", body); small -= len(body); n += 1
PY
TREE_BYTES=$(du -sb "$OUT/tree" | cut -f1)
TREE_FILES=$(find "$OUT/tree" -type f | wc -l)
"$PGBIN/psql" -h 127.0.0.1 -p $PG_PORT -U postgres -d postgres -qc "DROP DATABASE IF EXISTS benchdb" -c "CREATE DATABASE benchdb" >/dev/null
"$PGBIN/pgbench" -h 127.0.0.1 -p $PG_PORT -U postgres -i -s "$DB_SCALE" -q benchdb > "$OUT/pgbench.log" 2>&1
DB_BYTES=$("$PGBIN/psql" -h 127.0.0.1 -p $PG_PORT -U postgres -d benchdb -Atc "SELECT pg_database_size('benchdb')")
echo "data: tree $((TREE_BYTES >> 20)) MiB in $TREE_FILES files + database benchdb $((DB_BYTES >> 20)) MiB (pgbench scale $DB_SCALE)"

# --- S3Proxy's own PUT ceiling ---
CP="$ROOT/backup-service/target/quarkus-app/lib/main/*"
PUT1=$(java -Dthreads=1 -cp "$CP" "$HERE/PutLimit.java" "$S3" bench-jitsiops $ACCESS $SECRET)
PUT2=$(java -Dthreads=2 -cp "$CP" "$HERE/PutLimit.java" "$S3" bench-jitsiops $ACCESS $SECRET)
echo "S3Proxy PUT ceiling (32 MiB objects from memory): ${PUT1} MB/s with 1 stream, ${PUT2} MB/s with 2"

# --- jitsi-ops backup-service: its own instance on the bench data ---
head -c 32 /dev/urandom | base64 > "$OUT/key"
cat > "$OUT/deployment.yaml" <<YAML
name: bench-backup
backup:
  localDir: $OUT/backups
  configurations: [$OUT/tree]
  databases: {host: 127.0.0.1, port: $PG_PORT, user: postgres, names: [benchdb]}
  s3: {endpoint: "$S3", region: us-east-1, bucket: bench-jitsiops, prefix: bench/, accessKeyEnv: JITSIOPS_S3_ACCESS_KEY, secretKeyEnv: JITSIOPS_S3_SECRET_KEY}
  encryption: {keyFile: $OUT/key}
YAML
JITSIOPS_DEPLOYMENT_FILE="$OUT/deployment.yaml" QUARKUS_HTTP_PORT=$PORT \
JITSIOPS_KAFKA_BOOTSTRAP=127.0.0.1:$((BASE + 92)) \
JITSIOPS_DB_REACTIVE_URL=postgresql://127.0.0.1:$PG_PORT/jitsiops JITSIOPS_DB_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/jitsiops \
JITSIOPS_OIDC_ISSUER=http://127.0.0.1:$((BASE + 80))/janssen JITSIOPS_S3_ACCESS_KEY=$ACCESS JITSIOPS_S3_SECRET_KEY=$SECRET \
JITSIOPS_BACKUP_SCHEDULE_ENABLED=false JITSIOPS_BACKUP_VERIFY_AFTER_BACKUP=false JITSIOPS_BACKUP_MAINTENANCE_CRON=off \
  java -Xmx512m -jar "$JAR" > "$OUT/backup-service.log" 2>&1 &
SVC_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/live" >/dev/null && break; sleep 0.5; done
TOKEN=$(curl -s -u jitsi-ops:jitsi-ops-local-secret -d grant_type=client_credentials -d audience=jitsi-ops \
  -d roles=jitsi-ops-admin "http://127.0.0.1:$((BASE + 80))/janssen/jans-auth/restv1/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t0=$(date +%s.%N)
curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"schedule":"manual"}' \
  "http://127.0.0.1:$PORT/api/backups?wait=true" > "$OUT/jitsiops-backup.json"
t1=$(date +%s.%N)
ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$OUT/jitsiops-backup.json")
STORED=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sizeBytes"])' "$OUT/jitsiops-backup.json")
JO_BACKUP=$(echo "$t1 - $t0" | bc)
# JFR=1: a profile of the verification (its restore) in $OUT/verify.jfr
[ "${JFR:-0}" = 1 ] && jcmd $SVC_PID JFR.start name=verify settings=profile filename="$OUT/verify.jfr" > /dev/null
curl -sf -X POST -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/backups/$ID/verify" > "$OUT/jitsiops-verify.json"
[ "${JFR:-0}" = 1 ] && jcmd $SVC_PID JFR.stop name=verify > /dev/null
JO_OK=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ok"])' "$OUT/jitsiops-verify.json")
JO_RESTORE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["restoreMillis"] / 1000)' "$OUT/jitsiops-verify.json")
kill $SVC_PID; SVC_PID=
# STAGES=1: where a folder restore's time goes, stage by stage, on the benchmark's archive (a fresh JVM each run)
if [ "${STAGES:-0}" = 1 ]; then
  OBJ="bench/$ID/configurations-1-tree.tar.gz.enc"
  for warm in 0 60; do
    echo "restore stages, AES-GCM warm-up rounds before: $warm"
    java -Dwarm=$warm -cp "$ROOT/backup-service/target/quarkus-app/app/*:$CP" "$HERE/RestoreStages.java" "$S3" bench-jitsiops "$OBJ" \
      $ACCESS $SECRET "$OUT/backups/$ID/configurations-1-tree.tar.gz.enc" "$OUT/key" "$OUT" 2>/dev/null
  done
fi

# --- restic: the same tree and the same database to the same S3Proxy ---
export AWS_ACCESS_KEY_ID=$ACCESS AWS_SECRET_ACCESS_KEY=$SECRET RESTIC_PASSWORD=bench-password RESTIC_REPOSITORY="s3:$S3/bench-restic"
restic init -q > /dev/null
RESTIC_VERSION=$(restic version | head -1)
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t0=$(date +%s.%N)
restic backup -q "$OUT/tree" > /dev/null
"$PGBIN/pg_dump" -Fc -h 127.0.0.1 -p $PG_PORT -U postgres benchdb | restic backup -q --stdin --stdin-filename benchdb.dump > /dev/null
t1=$(date +%s.%N)
R_BACKUP=$(echo "$t1 - $t0" | bc)
t0=$(date +%s.%N)
restic restore -q latest --target "$OUT/restic-restore" > /dev/null
restic restore -q "$(restic snapshots --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print([x for x in s if "benchdb.dump" in " ".join(x["paths"])][-1]["short_id"])')" --target "$OUT/restic-restore" > /dev/null
"$PGBIN/psql" -h 127.0.0.1 -p $PG_PORT -U postgres -d postgres -qc "DROP DATABASE IF EXISTS bench_restic" -c "CREATE DATABASE bench_restic" >/dev/null
"$PGBIN/pg_restore" -h 127.0.0.1 -p $PG_PORT -U postgres -d bench_restic --no-owner "$(find "$OUT/restic-restore" -name benchdb.dump | head -1)"
t1=$(date +%s.%N)
R_RESTORE=$(echo "$t1 - $t0" | bc)
R_STORED=$(du -sb "$OUT/state/s3proxy/blobs/bench-restic" | cut -f1)
"$PGBIN/psql" -h 127.0.0.1 -p $PG_PORT -U postgres -d postgres -qc "DROP DATABASE IF EXISTS bench_restic" >/dev/null

MB=$(( (TREE_BYTES + DB_BYTES) >> 20 ))
printf '\n%-34s %12s %12s %14s %12s\n' "" "backup s" "MB/s" "stored MiB" "restore s"
printf '%-34s %12.1f %12.1f %14d %12.1f\n' "jitsi-ops backup-service" "$JO_BACKUP" "$(echo "$MB / $JO_BACKUP" | bc -l)" "$((STORED >> 20))" "$JO_RESTORE"
printf '%-34s %12.1f %12.1f %14d %12.1f\n' "$RESTIC_VERSION" "$R_BACKUP" "$(echo "$MB / $R_BACKUP" | bc -l)" "$((R_STORED >> 20))" "$R_RESTORE"
printf '\nbackup throughput ratio jitsi-ops / restic: %.2fx (goal >= 1.2x, encryption on in both); restore time ratio restic / jitsi-ops: %.2fx\n' \
  "$(echo "$R_BACKUP / $JO_BACKUP" | bc -l)" "$(echo "$R_RESTORE / $JO_RESTORE" | bc -l)"
echo "jitsi-ops verification of the benchmark backup: ok=$JO_OK (its restore: S3 → scratch folder + scratch database side by side, row counts compared)"
python3 - "$OUT/jitsiops-verify.json" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["checks"]:
    if c["check"] in ("restore", "row-counts"):
        print("  restore item %s: %s" % (c["item"], c["detail"]))
PY
echo "S3Proxy PUT ceiling: ${PUT1} MB/s (1 stream), ${PUT2} MB/s (2 streams); data ${MB} MiB (SIZE_MB=$SIZE_MB)"
