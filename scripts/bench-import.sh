#!/usr/bin/env bash
# Time to import the whole 65 000-product catalogue in Comptoir's CSV format: the
# seeded PostgreSQL catalogue is exported through a release back office on 127.0.0.1,
# then imported back with `comptoir import` (every product updated by SKU, in one
# transaction). Stops its server on exit.
# Usage: scripts/bench-import.sh
# Needs: PostgreSQL at 127.0.0.1:5432, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir
bin="$CARGO_TARGET_DIR/release"

psql -h 127.0.0.1 -U postgres -d test -qAtc "SELECT 1 FROM pg_database WHERE datname = 'comptoir_bench_import'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench_import"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench_import
"$bin/comptoir" seed --products 65000
psql -h 127.0.0.1 -U postgres -d comptoir_bench_import -qc "DELETE FROM audit_log; DELETE FROM staff"
echo "import-password-1" | "$bin/comptoir" staff add import@comptoir.test --name Import --role catalogue

work=$(mktemp -d /var/tmp/comptoir-bench-import.XXXX)
source scripts/backoffice-session.sh
office=""
trap 'kill ${office:-} 2> /dev/null || true; rm -rf "$work"' EXIT
start_backoffice 8283 /tmp/comptoir-bench-import.log
jar="$work/cookies"
log_in 8283 import@comptoir.test import-password-1 "$jar"
curl -s -b "$jar" -o "$work/catalogue.csv" http://127.0.0.1:8283/products/export.csv
echo "exported $(($(wc -l < "$work/catalogue.csv") - 1)) lines, $(du -h "$work/catalogue.csv" | cut -f1)"
/usr/bin/time -f "import: %e s wall, %U s user, %M KB max resident" "$bin/comptoir" import "$work/catalogue.csv"
