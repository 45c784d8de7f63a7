#!/usr/bin/env bash
# Builds the five service images offline, as tarballs, with quarkus-container-image-jib:
#   deploy/docker/build-images.sh
#   -> deploy/docker/target/images/{health,metrics,log,backup,alert}-service.tar  (docker save format)
# 1. the Debian base image tarball (base-image.sh; kept once built), 2. one Maven build of the services with the
# root pom's images profile (-Djitsiops.images), through mvnl (the build lock). Extra arguments go to Maven
# (e.g. -o to stay offline once the Jib extension is in the local repository).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$ROOT/deploy/docker/base-image.sh"
rm -rf "$ROOT/deploy/docker/target/images"
MAVEN=(./mvnw)
if command -v mvnl >/dev/null; then MAVEN=(mvnl); fi
(cd "$ROOT" && MVNL_DIR="$ROOT" "${MAVEN[@]}" -B -q package -DskipTests -Djitsiops.images \
  -pl health-service,metrics-service,log-service,backup-service,alert-service -am "$@")
ls -l "$ROOT"/deploy/docker/target/images/*.tar
