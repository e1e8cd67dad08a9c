#!/usr/bin/env bash
# The shopping path under load: a release storefront on PostgreSQL with sessions and
# carts in Redis, and 32 concurrent shoppers each adding to the cart, checking out and
# paying at the test bank for 20 s, on 127.0.0.1 only. Stops its server on exit.
# With RULES > 0, that many promotion rules run (RULES - 1 automatic ones, 5 % off
# a category each, and one with the code CARGA, 10 % off, which every shopper enters
# in the cart).
# Usage: scripts/bench-checkout.sh [CLIENTS] [SECONDS] [RULES]
# Needs: PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-32}"
seconds="${2:-20}"
rules="${3:-0}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir -p comptoir-bench
bin="$CARGO_TARGET_DIR/release"

psql -h 127.0.0.1 -U postgres -d test -qAtc "SELECT 1 FROM pg_database WHERE datname = 'comptoir_bench_checkout'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench_checkout"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench_checkout
"$bin/comptoir" seed --products 65000
if [ "$rules" -gt 0 ]; then
    promotions=$(mktemp /var/tmp/comptoir-bench-rules.XXXX.csv)
    {
        echo "name,sites,code,percent_off,amount_off,free_shipping,min_subtotal,starts_at,ends_at,uses_total,uses_per_customer,categories"
        for n in $(seq 2 "$rules"); do echo "Regla $n,es|fr|pt|it,,5,,no,,,,,,$n"; done
        echo "Carga,es|fr|pt|it,CARGA,10,,no,,,,,,"
    } > "$promotions"
    "$bin/comptoir" promotions import "$promotions"
    rm -f "$promotions"
    export PROMOTION_CODE=CARGA
fi

work=$(mktemp -d /var/tmp/comptoir-bench-checkout.XXXX)
COMPTOIR_BIND=127.0.0.1:8280 REDIS_URL=redis://127.0.0.1:6379 DATABASE_MAX_CONNECTIONS=20 \
    SEARCH_INDEX_DIR="$work/index" MAIL_DIR="$work/mail" RUST_LOG=warn \
    "$bin/comptoir" serve > /tmp/comptoir-bench-checkout.log 2>&1 &
shop=$!
# The mail worker may still be writing: the folder goes once the server has exited.
trap 'kill $shop 2> /dev/null || true; wait $shop 2> /dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 60); do curl -sf http://127.0.0.1:8280/health > /dev/null && break; sleep 0.5; done
# Let the background index build finish before measuring.
for _ in $(seq 120); do curl -sf "http://127.0.0.1:8280/es/buscar?q=bruja" > /dev/null && break; sleep 0.5; done

# CPU seconds (user + system) of a process and its threads, from /proc.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }
postgres_cpu() {
    local total=0
    for pid in $(pgrep -x postgres); do total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", t + ($14 + $15 + $16 + $17) / hz }' "/proc/$pid/stat" 2> /dev/null || echo "$total"); done
    echo "$total"
}
shop_before=$(cpu $shop)
pg_before=$(postgres_cpu)
redis_before=$(cpu "$(pgrep -x redis-server | head -1)")
/usr/bin/time -f "load generator: %U s user + %S s system" "$bin/checkout-load" 127.0.0.1:8280 "$clients" "$seconds"
echo "storefront: $(awk -v a="$shop_before" -v b="$(cpu $shop)" 'BEGIN { printf "%.1f", b - a }') CPU s; PostgreSQL: $(awk -v a="$pg_before" -v b="$(postgres_cpu)" 'BEGIN { printf "%.1f", b - a }') CPU s; Redis: $(awk -v a="$redis_before" -v b="$(cpu "$(pgrep -x redis-server | head -1)")" 'BEGIN { printf "%.1f", b - a }') CPU s"
echo "mails written by the worker: $(ls "$work/mail" 2> /dev/null | wc -l)"
