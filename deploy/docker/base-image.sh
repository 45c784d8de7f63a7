#!/usr/bin/env bash
# Builds the base image of the jitsi-ops service images, offline from any container registry: a Debian 12
# root file system made by mmdebstrap from Debian's own packages (the only network this needs is the Debian
# mirror), wrapped as a `docker save` tarball that Jib reads with `quarkus.jib.base-jvm-image=tar://…`.
#
#   deploy/docker/base-image.sh            -> deploy/docker/target/jitsi-ops-base.tar (kept when it exists)
#   JITSIOPS_REBUILD=1 deploy/docker/base-image.sh   rebuild it
#
# What is in it: Java 17 (openjdk-17-jre-headless), CA certificates, time zones, and the tools the
# backup-service runs (pg_dump/pg_restore 15, luac 5.4 and nginx -t to verify restored configurations; curl with
# deploy/docker/bin/jitsi-scale and jitsi-ready, which stop, start and check Jitsi Deployments during a restore).
# The user the manifests run as, uid/gid 185 `jitsiops`, owns /deployments; nothing else is writable by it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/deploy/docker/target"
OUT="$OUT_DIR/jitsi-ops-base.tar"
SUITE="${JITSIOPS_DEBIAN_SUITE:-bookworm}"
MIRROR="${JITSIOPS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES="openjdk-17-jre-headless,ca-certificates,tzdata,curl,postgresql-client-15,lua5.4,nginx-light"

if [ -f "$OUT" ] && [ "${JITSIOPS_REBUILD:-0}" != 1 ]; then
  echo "base image: $OUT (exists; JITSIOPS_REBUILD=1 to rebuild)"
  exit 0
fi

if ! command -v mmdebstrap >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "mmdebstrap missing: installing Debian's mmdebstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
  else
    echo "mmdebstrap missing: run 'sudo apt-get install -y mmdebstrap'" >&2
    exit 1
  fi
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jitsi-ops-base.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/image" "$OUT_DIR"

# The root file system as one uncompressed layer. Documentation and locales are left out (manual pages stay: update-alternatives needs them); the apt lists
# are removed (the image is never updated in place: rebuild it).
mmdebstrap ${JITSIOPS_MMDEBSTRAP_OPTS:---quiet} --variant=minbase --include="$PACKAGES" \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook='echo "jitsiops:x:185:185:jitsi-ops:/deployments:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "jitsiops:x:185:" >> "$1/etc/group"' \
  --customize-hook='mkdir -p "$1/deployments" && chown 185:185 "$1/deployments"' \
  --customize-hook="copy-in $ROOT/deploy/docker/bin/jitsi-scale $ROOT/deploy/docker/bin/jitsi-ready /usr/local/bin" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  "$SUITE" "$WORK/image/layer.tar" "$MIRROR"

LAYER_SHA="$(sha256sum "$WORK/image/layer.tar" | cut -d' ' -f1)"
mkdir -p "$WORK/image/$LAYER_SHA"
mv "$WORK/image/layer.tar" "$WORK/image/$LAYER_SHA/layer.tar"
CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cat > "$WORK/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$CREATED",
 "config":{"User":"185","WorkingDir":"/deployments",
   "Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8","JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$LAYER_SHA"]},
 "history":[{"created":"$CREATED","created_by":"deploy/docker/base-image.sh: mmdebstrap $SUITE $PACKAGES"}]}
JSON
CONFIG_SHA="$(sha256sum "$WORK/image/config.json" | cut -d' ' -f1)"
mv "$WORK/image/config.json" "$WORK/image/$CONFIG_SHA.json"
printf '[{"Config":"%s.json","RepoTags":["jitsi-ops/base:%s"],"Layers":["%s/layer.tar"]}]\n' \
  "$CONFIG_SHA" "$SUITE" "$LAYER_SHA" > "$WORK/image/manifest.json"
tar -C "$WORK/image" -cf "$OUT.part" manifest.json "$CONFIG_SHA.json" "$LAYER_SHA/layer.tar"
mv "$OUT.part" "$OUT"
echo "base image: $OUT ($(du -m "$OUT" | cut -f1) MB, jitsi-ops/base:$SUITE)"
