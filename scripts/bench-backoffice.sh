#!/usr/bin/env bash
# The back office's figures: catalogue export time and the delay from a save in the
# product editor to the storefront page, on the seeded 65 000-product PostgreSQL
# database, a release back office and storefront (default 500 ms change-log poll) on
# 127.0.0.1 only. Stops its servers on exit.
# Usage: scripts/bench-backoffice.sh
# Needs: PostgreSQL at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir -p comptoir-bench
bin="$CARGO_TARGET_DIR/release"

psql -h 127.0.0.1 -U postgres -d test -qAtc "SELECT 1 FROM pg_database WHERE datname = 'comptoir_bench_backoffice'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench_backoffice"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench_backoffice
"$bin/comptoir" seed --products 65000
export STAFF_EMAIL=figures@comptoir.test STAFF_PASSWORD=figures-password-1
psql -h 127.0.0.1 -U postgres -d comptoir_bench_backoffice -qc "DELETE FROM audit_log; DELETE FROM staff"
echo "$STAFF_PASSWORD" | "$bin/comptoir" staff add "$STAFF_EMAIL" --name Figures --role catalogue

work=$(mktemp -d /var/tmp/comptoir-bench-backoffice.XXXX)
BACKOFFICE_BIND=127.0.0.1:8281 RUST_LOG=warn "$bin/backoffice" > /tmp/comptoir-bench-backoffice.log 2>&1 &
office=$!
COMPTOIR_BIND=127.0.0.1:8282 SEARCH_INDEX_DIR="$work/index" MAIL_DIR="$work/mail" RUST_LOG=warn \
    "$bin/comptoir" serve > /tmp/comptoir-bench-backoffice-shop.log 2>&1 &
shop=$!
trap 'kill $office $shop 2> /dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 60); do curl -sf http://127.0.0.1:8282/health > /dev/null && break; sleep 0.5; done
for _ in $(seq 60); do curl -s -o /dev/null http://127.0.0.1:8281/login && break; sleep 0.5; done
"$bin/backoffice-figures" 127.0.0.1:8281 127.0.0.1:8282
