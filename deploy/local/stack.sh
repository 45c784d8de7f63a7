#!/usr/bin/env bash
# The jitsi-ops local stack on loopback: real Kafka (KRaft), PostgreSQL, S3Proxy, GreenMail, the Jitsi
# simulator and the five services.
#
#   stack.sh up        build what is not built, start what is not running, wait until every part is ready
#   stack.sh down      stop exactly the processes `up` started (by PID file); state is kept
#   stack.sh status    one line per part: pid, ready/starting/stopped, endpoint (exit 1 unless all ready)
#   stack.sh logs [N]  follow the logs (of part N, e.g. kafka, health-service)
#
# Environment: JITSIOPS_PORT_BASE (default 18000), JITSIOPS_STATE_DIR (default deploy/local/state),
# JITSIOPS_DEPLOYMENT_FILE (describe a real Jitsi deployment: the simulator is then not started),
# JITSIOPS_REBUILD=1 (build even if built).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JITSIOPS_ROOT="$ROOT"
STATE="${JITSIOPS_STATE_DIR:-$ROOT/deploy/local/state}"
export JITSIOPS_STATE_DIR="$STATE"
TESTKIT_JAR="$ROOT/deploy/testkit/target/testkit-0.1.0-SNAPSHOT.jar"

ensure_postgresql() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && [ -z "${JITSIOPS_PG_BIN:-}" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "PostgreSQL server binaries missing: installing Debian's postgresql" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      echo "PostgreSQL server binaries missing: run 'sudo apt-get install -y postgresql' or set JITSIOPS_PG_BIN" >&2
      exit 1
    fi
  fi
}

built() {
  [ -f "$TESTKIT_JAR" ] || return 1
  for m in deploy/jitsi-sim health-service metrics-service log-service backup-service alert-service; do
    [ -f "$ROOT/$m/target/quarkus-app/quarkus-run.jar" ] || return 1
  done
  for s in kafka s3proxy greenmail; do
    [ -d "$ROOT/deploy/servers/$s/target/lib" ] || return 1
  done
}

ensure_built() {
  if [ "${JITSIOPS_REBUILD:-0}" = 1 ] || ! built; then
    echo "building jitsi-ops (first time takes a few minutes)…"
    # Two build threads (the services are independent modules) and no test compilation: a newcomer's first `up`
    # downloads and builds only what running needs.
    (cd "$ROOT" && ./mvnw -B -q -T 2 install -Dmaven.test.skip=true)
  fi
}

cli() {
  java -cp "$TESTKIT_JAR" io.jitsiops.testkit.server.StackCli "$@"
}

case "${1:-}" in
  up)
    ensure_postgresql
    ensure_built
    mkdir -p "$STATE"
    cli up
    ;;
  down)
    [ -f "$TESTKIT_JAR" ] || { echo "nothing built, nothing running"; exit 0; }
    cli down
    ;;
  status)
    [ -f "$TESTKIT_JAR" ] || { echo "not built yet: run $0 up"; exit 1; }
    cli status
    ;;
  logs)
    if [ -n "${2:-}" ]; then
      exec tail -n 100 -F "$STATE/$2/$2.log" "$STATE/$2.log" 2>/dev/null
    fi
    exec tail -n 20 -F "$STATE"/*/*.log "$STATE"/postgres.log 2>/dev/null
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
