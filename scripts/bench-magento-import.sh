#!/usr/bin/env bash
# Time to migrate a 65 000-product shop from Magento 1.9: the demo catalogue written
# as a Magento product export (configurables with their children, four store views,
# categories, gallery) is imported with `comptoir import` into a PostgreSQL database
# holding only the category tree (every product created).
# Usage: scripts/bench-magento-import.sh [PRODUCTS]
# Needs: PostgreSQL at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
products="${1:-65000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir -p comptoir-bench
bin="$CARGO_TARGET_DIR/release"

psql -h 127.0.0.1 -U postgres -d test -qAtc "SELECT 1 FROM pg_database WHERE datname = 'comptoir_bench_magento'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench_magento"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench_magento
# The category tree alone: the import creates every product.
"$bin/comptoir" seed --products 0
work=$(mktemp -d /var/tmp/comptoir-bench-magento.XXXX)
trap 'rm -rf "$work"' EXIT
"$bin/magento-export" "$products" > "$work/export.csv"
echo "Magento export: $(wc -l < "$work/export.csv") lines, $(du -h "$work/export.csv" | cut -f1)"
/usr/bin/time -f "import: %e s wall, %U s user, %M KB max resident" "$bin/comptoir" import "$work/export.csv"
