#!/bin/sh
# Stands in for the `docker` CLI that Jib (quarkus-container-image-jib) calls when it builds an image without
# pushing it: instead of loading the image into a Docker daemon (there is none here), `load` writes the
# tarball Jib streams to $JITSIOPS_IMAGE_TAR, in `docker save` format (loadable with `docker load -i`,
# `kind load image-archive`, `k3s ctr images import`, `skopeo copy docker-archive:...`). Set by the root pom's
# images profile as quarkus.jib.docker-executable-name; see deploy/docker/README.md.
set -eu
case "${1:-}" in
  load)
    : "${JITSIOPS_IMAGE_TAR:?JITSIOPS_IMAGE_TAR must name the tarball to write}"
    mkdir -p "$(dirname "$JITSIOPS_IMAGE_TAR")"
    cat > "$JITSIOPS_IMAGE_TAR.part"
    mv "$JITSIOPS_IMAGE_TAR.part" "$JITSIOPS_IMAGE_TAR"
    echo "Loaded image tarball: $JITSIOPS_IMAGE_TAR"
    ;;
  info)
    # Jib asks the daemon's platform to pick the base image's: the base tarball is linux/amd64.
    echo '{"OSType":"linux","Architecture":"x86_64"}'
    ;;
  version)
    echo "jitsi-ops jib-tarball (no Docker daemon: images are written to tarballs)"
    ;;
  *)
    echo "jib-tarball.sh: 'docker $*' is not supported (only load, info, version)" >&2
    exit 1
    ;;
esac
