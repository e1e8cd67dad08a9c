#!/usr/bin/env bash
# Campaign sizing on this machine: a release storefront on PostgreSQL (the 65 000-
# product demo catalogue) with sessions and carts in Redis, measured by `comptoir
# sizing` with the default campaign profile, on 127.0.0.1 only; the report goes to
# DIR (with PostgreSQL's transactions and Redis's commands per visit). Also prints
# the CPU seconds PostgreSQL and Redis used meanwhile. Stops its server on exit.
# Usage: scripts/bench-sizing.sh [MAX_MINUTES] [DIR] [STEP_SECONDS]
# Needs: PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
out="${2:-/var/tmp/comptoir-sizing}"
step="${3:-30}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir
bin="$CARGO_TARGET_DIR/release"

psql -h 127.0.0.1 -U postgres -d test -qAtc "SELECT 1 FROM pg_database WHERE datname = 'comptoir_bench_sizing'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench_sizing"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench_sizing
"$bin/comptoir" seed --products 65000 --if-empty

work=$(mktemp -d /var/tmp/comptoir-bench-sizing.XXXX)
COMPTOIR_BIND=127.0.0.1:8380 METRICS_BIND=127.0.0.1:9380 REDIS_URL=redis://127.0.0.1:6379 \
    DATABASE_MAX_CONNECTIONS=20 SEARCH_INDEX_DIR="$work/index" MAIL_DIR="$work/mail" RUST_LOG=warn \
    "$bin/comptoir" serve > /tmp/comptoir-bench-sizing.log 2>&1 &
shop=$!
trap 'kill $shop 2> /dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 60); do curl -sf http://127.0.0.1:8380/health > /dev/null && break; sleep 0.5; done
# Let the background index build finish before measuring.
for _ in $(seq 240); do curl -sf "http://127.0.0.1:8380/es/buscar?q=bruja" > /dev/null && break; sleep 0.5; done

# CPU seconds (user + system) of processes, from /proc.
cpu_of() {
    local total=0
    for pid in "$@"; do total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", t + ($14 + $15) / hz }' "/proc/$pid/stat" 2> /dev/null || echo "$total"); done
    echo "$total"
}
pg_before=$(cpu_of $(pgrep -x postgres))
redis_before=$(cpu_of $(pgrep -x redis-server))
started=$(date +%s)
/usr/bin/time -f "load generator: %U s user + %S s system" \
    "$bin/comptoir" sizing --target http://127.0.0.1:8380 --metrics http://127.0.0.1:9380/metrics \
    --database-url "$DATABASE_URL" --redis-url redis://127.0.0.1:6379 \
    --max-minutes "$minutes" --step-seconds "$step" --out "$out"
echo "in $(( $(date +%s) - started )) s: PostgreSQL $(awk -v a="$pg_before" -v b="$(cpu_of $(pgrep -x postgres))" 'BEGIN { printf "%.1f", b - a }') CPU s, Redis $(awk -v a="$redis_before" -v b="$(cpu_of $(pgrep -x redis-server))" 'BEGIN { printf "%.1f", b - a }') CPU s"
