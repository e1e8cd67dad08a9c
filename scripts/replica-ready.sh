#!/usr/bin/env bash
# How long a storefront replica takes from its start to serving (`/health/live`) and
# to being ready (`/health/ready`) on the 65 000-product PostgreSQL demo: first with an
# empty index folder (it builds its search index), then with the folder it left (it
# opens the index and catches up); and how long it takes to exit on SIGTERM with the
# default grace period. On 127.0.0.1 only; stops what it starts.
# Usage: scripts/replica-ready.sh
# Needs: PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir
bin="$CARGO_TARGET_DIR/release"

psql -h 127.0.0.1 -U postgres -d test -qAtc "SELECT 1 FROM pg_database WHERE datname = 'comptoir_bench'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench
products=$(psql -h 127.0.0.1 -U postgres -d comptoir_bench -qAtc "SELECT count(*) FROM products" 2> /dev/null || echo 0)
[ "$products" = 65000 ] || "$bin/comptoir" seed --products 65000

index=$(mktemp -d /var/tmp/comptoir-replica-index.XXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$index"' EXIT
base=http://127.0.0.1:8380
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc | xargs printf '%.2f'; }

# Starts a replica; prints when it served and when it was ready, then stops it.
start_and_stop() {
    local label="$1" started live="" ready=""
    started=$(now)
    COMPTOIR_BIND=127.0.0.1:8380 REDIS_URL=redis://127.0.0.1:6379 SEARCH_INDEX_DIR="$index" \
        RUST_LOG=warn "$bin/comptoir" serve > /tmp/comptoir-replica-ready.log 2>&1 &
    pid=$!
    for _ in $(seq 2400); do
        if [ -z "$live" ] && curl -sf "$base/health/live" > /dev/null 2>&1; then live=$(since "$started"); fi
        if curl -sf "$base/health/ready" > /dev/null 2>&1; then ready=$(since "$started"); break; fi
        sleep 0.05
    done
    [ -n "$ready" ] || { echo "$label: not ready within 120 s" >&2; exit 1; }
    local stopping
    stopping=$(now)
    kill -TERM "$pid"
    wait "$pid" || true
    pid=
    echo "$label: serving after ${live:-?} s, ready after $ready s; exited $(since "$stopping") s after SIGTERM"
}

start_and_stop "first start (builds the index)"
start_and_stop "restart (opens the index it left)"
