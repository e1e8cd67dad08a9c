#!/usr/bin/env bash
# Builds every image the stack needs without an image registry: a Debian bookworm
# base from debootstrap, PostgreSQL 15, Redis 7 and nginx from Debian's packages on
# it (deploy/offline/*.Dockerfile, named in deploy/offline.yml), and `comptoir` with
# the release binaries built here by cargo. Installs and starts what it lacks
# (docker.io, docker-compose, debootstrap, dockerd). Prints the images' sizes.
#   deploy/build-images.sh            everything (the base only when missing)
#   deploy/build-images.sh comptoir   the shop's image alone, after a new build
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
base=comptoir/debian:bookworm

# Runs a command, showing what it printed only when it fails.
quietly() {
    local output
    output=$("$@" 2>&1) || { echo "$output" >&2; return 1; }
}

need() { command -v "$1" > /dev/null || missing+=("$2"); }
missing=()
need dockerd docker.io
need docker-compose docker-compose
need debootstrap debootstrap
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" > /dev/null
fi
if ! docker info > /dev/null 2>&1; then
    echo "starting dockerd"
    (dockerd > /var/log/dockerd.log 2>&1 &)
    for _ in $(seq 30); do docker info > /dev/null 2>&1 && break; sleep 1; done
    docker info > /dev/null
fi

if ! docker image inspect "$base" > /dev/null 2>&1; then
    echo "building $base with debootstrap (about a minute)"
    rootfs=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$rootfs" > /dev/null
    # The downloaded packages and lists are not part of a base.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import - "$base" > /dev/null
    rm -rf "$rootfs"
fi

if [ "${1:-all}" = all ]; then
    for image in postgres redis nginx; do
        echo "building comptoir/$image:offline"
        quietly docker build -q -t "comptoir/$image:offline" -f "deploy/offline/$image.Dockerfile" deploy/offline
    done
fi

echo "building the release binaries"
cargo build --release --locked -q -p comptoir --bins
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
for binary in comptoir backoffice search; do
    # Line tables are for backtraces on the build host; the image keeps symbols only.
    strip --strip-debug -o "$context/$binary" "$CARGO_TARGET_DIR/release/$binary"
done
cp -r static "$context"/static
echo "building comptoir"
quietly docker build -q -t comptoir -f deploy/offline/comptoir.Dockerfile "$context"

docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' \
    | grep -E '^comptoir(/|:)' | sort
