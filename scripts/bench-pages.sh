#!/usr/bin/env bash
# Page throughput and latency of the storefront beside the bare reference server, with
# wrk on 127.0.0.1 only; bounded (10 s a run) and stops its servers on exit.
# Usage: scripts/bench-pages.sh [postgres|sqlite]   (default postgres)
# Needs: wrk (apt-get install wrk); for postgres, a server at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-postgres}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir -p comptoir-bench
bin="$CARGO_TARGET_DIR/release"

if [ "$backend" = postgres ]; then
    psql -h 127.0.0.1 -U postgres -d test -qAtc "SELECT 1 FROM pg_database WHERE datname = 'comptoir_bench'" | grep -q 1 \
        || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench
    "$bin/comptoir" seed --products 65000
else
    unset DATABASE_URL
    export COMPTOIR_DATA_DIR=/var/tmp/comptoir-bench-sqlite
    [ -f "$COMPTOIR_DATA_DIR/comptoir.sqlite" ] || "$bin/comptoir" seed --products 65000
fi

index_dir=$(mktemp -d /var/tmp/comptoir-bench-index.XXXX)
COMPTOIR_BIND=127.0.0.1:8180 SEARCH_INDEX_DIR="$index_dir" RUST_LOG=warn "$bin/comptoir" serve > /tmp/comptoir-bench-serve.log 2>&1 &
shop=$!
"$bin/reference-server" 127.0.0.1:8199 > /dev/null &
reference=$!
trap 'kill $shop $reference 2> /dev/null || true; rm -rf "$index_dir"' EXIT
for _ in $(seq 60); do curl -sf http://127.0.0.1:8180/health > /dev/null && break; sleep 0.5; done
# The in-process search index builds in the background after a seed: wait for it, so
# that it does not share the cores with the measurements.
for _ in $(seq 120); do curl -sf "http://127.0.0.1:8180/es/buscar?q=bruja" > /dev/null && break; sleep 0.5; done
# The allocator returns the rebuild's memory within seconds: read the resident size
# once it has, and the peak beside it.
sleep 15
echo "storefront after load: $(grep -E 'VmRSS|VmHWM' /proc/$shop/status | tr -s ' \t\n' ' ')"

# run NAME URL [ACCEPT-ENCODING]: 10 s of wrk; the bytes a client accepting that
# coding receives.
run() {
    local name="$1" url="$2" coding="${3:-identity}"
    curl -sf -o /dev/null "$url" || { echo "$name: $url does not answer 200" >&2; exit 1; }
    local out
    out=$(wrk -t1 -c32 -d10s --latency -H "Accept-Encoding: $coding" "$url")
    printf '%-28s %10s req/s  p50 %8s  p99 %8s  %s bytes\n' "$name" \
        "$(awk '/Requests\/sec/ {print $2}' <<< "$out")" \
        "$(awk '$1 == "50%" {print $2}' <<< "$out")" \
        "$(awk '$1 == "99%" {print $2}' <<< "$out")" \
        "$(curl -s -H "Accept-Encoding: $coding" "$url" | wc -c)"
}
run "reference (30 KB static)" http://127.0.0.1:8199/
run "category /es/c/halloween" http://127.0.0.1:8180/es/c/halloween
run "category p.50 price-asc" "http://127.0.0.1:8180/fr/c/carnaval?sort=price-asc&page=50"
run "product page" http://127.0.0.1:8180/es/p/disfraz-de-bruja-para-mujer
run "home page" http://127.0.0.1:8180/it/
# As browsers ask: compressed once per page content, then served from memory.
run "category, brotli" http://127.0.0.1:8180/es/c/halloween "gzip, deflate, br"
run "product page, brotli" http://127.0.0.1:8180/es/p/disfraz-de-bruja-para-mujer "gzip, deflate, br"
run "product page, gzip" http://127.0.0.1:8180/es/p/disfraz-de-bruja-para-mujer "gzip"
run "reference (again)" http://127.0.0.1:8199/
