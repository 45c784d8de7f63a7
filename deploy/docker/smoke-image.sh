#!/bin/bash
# deploy/docker/smoke-image.sh <image.tar> [port]
# Runs a service image WITHOUT a container engine, as Kubernetes would under the k8s/ manifests: unpacks its
# layers into a root file system, starts the image's own entrypoint as its user (185) in private mount and PID
# namespaces with the root mounted read-only and a tmpfs on /tmp (readOnlyRootFilesystem + the emptyDir), and
# asks /q/health/started, /live and /ready. The service is configured like the local stack's running instance
# of the same service (its JITSIOPS_* environment and deployment description), so run `deploy/local/stack.sh up`
# first. Needs root (unshare, chroot). Prints one line per probe; the process is killed at the end.
set -euo pipefail
IMG=$1; PORT=${2:-18199}; SVC=$(basename $IMG .tar)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"; STATE="${JITSIOPS_STATE_DIR:-$ROOT/deploy/local/state}"
SPID=$(cut -d" " -f1 $STATE/pids/$SVC.pid)
EXTRA=$(tr "\0" "\n" < /proc/$SPID/environ | grep "^JITSIOPS_" | grep -v "^JITSIOPS_DEPLOYMENT_FILE=" | tr "\n" " ")
W=$(mktemp -d /tmp/k8s-smoke.XXXX); R=$W/root; mkdir -p $R $W/x
tar -xf $IMG -C $W/x
python3 - "$W/x" "$R" <<'PY'
import json, sys, tarfile, os
x, r = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(x, 'manifest.json')))[0]
for layer in m['Layers']:
    with tarfile.open(os.path.join(x, layer)) as t:
        t.extractall(r, numeric_owner=True)
c = json.load(open(os.path.join(x, m['Config'])))['config']
open(os.path.join(r, '.entry'), 'w').write(json.dumps(c))
PY
ENTRY=$(python3 -c "import json;c=json.load(open('$R/.entry'));print(' '.join(c['Entrypoint']))")
USER_=$(python3 -c "import json;print(json.load(open('$R/.entry'))['User'])")
WD=$(python3 -c "import json;print(json.load(open('$R/.entry'))['WorkingDir'])")
mkdir -p $R/etc/jitsi-ops $R$STATE; (cd $STATE && tar --exclude=./postgres --exclude=./kafka -cf - .) | tar -xf - -C $R$STATE; chown -R 185:185 $R$STATE; cp $STATE/deployment.yaml $R/etc/jitsi-ops/deployment.yaml
echo "image user=$USER_ workdir=$WD entrypoint=$ENTRY"
unshare --mount --pid --fork --kill-child bash -c "
  mount --bind $R $R && mount -o remount,bind,ro $R
  mount -t proc proc $R/proc; mount --rbind /dev $R/dev; mount -t tmpfs -o size=64m,mode=1777 tmpfs $R/tmp
  mount --bind /etc/resolv.conf $R/etc/resolv.conf 2>/dev/null || true
  cd $R$WD
  exec chroot --userspec=$USER_:$USER_ $R env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 $EXTRA QUARKUS_HTTP_PORT=$PORT JITSIOPS_DEPLOYMENT_FILE=/etc/jitsi-ops/deployment.yaml \
    sh -c 'cd $WD && id && touch /probe-write 2>&1 | head -1; exec $ENTRY'
" > $W/run.log 2>&1 &
PID=$!
cleanup() {
  # The service is PID 1 of its namespace: only SIGKILL from outside ends it.
  local jpid
  jpid=$(ss -ltnp | grep ":$PORT " | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
  if [ -n "$jpid" ]; then kill -9 "$jpid" || true; fi
  kill "$PID" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
for i in $(seq 1 90); do
  code=$(curl -s -o /dev/null -w '%{http_code}' 127.0.0.1:$PORT/q/health/started || true)
  [ "$code" = 200 ] && break; sleep 1
done
echo "started=$(curl -s -o /dev/null -w '%{http_code}' 127.0.0.1:$PORT/q/health/started) live=$(curl -s -o /dev/null -w '%{http_code}' 127.0.0.1:$PORT/q/health/live) ready=$(curl -s -o /dev/null -w '%{http_code}' 127.0.0.1:$PORT/q/health/ready) after ${i}s"
head -3 $W/run.log; echo ...; grep -v "^\s*at " $W/run.log | grep -i -E "error|caused|exception|fail" | head -8 | cut -c1-300 || true
