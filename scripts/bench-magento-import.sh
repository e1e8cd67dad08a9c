#!/usr/bin/env bash
# Time to migrate a 65 000-product shop from Magento 1.9: the demo catalogue written
# as a Magento product export (configurables with their children, four store views,
# categories, gallery) is imported into a PostgreSQL database holding only the
# category tree (every product created), twice: with `comptoir import`, then through
# a release back office on 127.0.0.1 (upload, check, import), printing the page's
# progress as it goes. Stops its server on exit.
# Usage: scripts/bench-magento-import.sh [PRODUCTS] [--quirks]
# (--quirks: after every thousandth product, products with what real exports hold:
# new categories, odd SKUs and URL keys, bundles, store views, stock settings...)
# Needs: PostgreSQL at 127.0.0.1:5432, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
products="${1:-65000}"
quirks="${2:-}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir -p comptoir-bench
bin="$CARGO_TARGET_DIR/release"

psql -h 127.0.0.1 -U postgres -d test -qAtc "SELECT 1 FROM pg_database WHERE datname = 'comptoir_bench_magento'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench_magento"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench_magento
work=$(mktemp -d /var/tmp/comptoir-bench-magento.XXXX)
office=""
trap 'kill ${office:-} 2> /dev/null || true; rm -rf "$work"' EXIT
"$bin/magento-export" "$products" $quirks > "$work/export.csv"
echo "Magento export: $(wc -l < "$work/export.csv") lines, $(du -h "$work/export.csv" | cut -f1)"

echo "== command line"
# The category tree alone: the import creates every product.
"$bin/comptoir" seed --products 0
/usr/bin/time -f "import: %e s wall, %U s user, %M KB max resident" "$bin/comptoir" import "$work/export.csv"

echo "== back office"
"$bin/comptoir" seed --products 0
psql -h 127.0.0.1 -U postgres -d comptoir_bench_magento -qc "DELETE FROM audit_log; DELETE FROM staff"
echo "import-password-1" | "$bin/comptoir" staff add import@comptoir.test --name Import --role catalogue > /dev/null
source scripts/backoffice-session.sh
start_backoffice 8284 /tmp/comptoir-bench-magento.log
jar="$work/cookies"
log_in 8284 import@comptoir.test import-password-1 "$jar"
started=$(date +%s%N)
seconds() {
    local tenths=$((($(date +%s%N) - started) / 100000000))
    printf "%4d.%d s" $((tenths / 10)) $((tenths % 10))
}
job=$(curl -s -b "$jar" -o /dev/null -w '%{redirect_url}' -F "csrf=$token" \
    -F "file=@$work/export.csv;type=text/csv" http://127.0.0.1:8284/import)
echo "$(seconds)  uploaded: $job"
# Prints the job page's progress line each second until the page stops refreshing.
follow() {
    while true; do
        page=$(curl -s -b "$jar" "$job")
        line=$(grep -o '<p id="progress">[^<]*' <<< "$page" | sed 's/<p id="progress">//; s/\. .*//' || true)
        grep -q 'http-equiv="refresh"' <<< "$page" || break
        echo "$(seconds)  $line"
        sleep 1
    done
    echo "$(seconds)  $(grep -o -E '[0-9]+ products, [0-9]+ variants, [0-9]+ old URLs|Imported: [^<]*|class="error"[^<]*' <<< "$page" | head -1)"
}
follow
curl -s -b "$jar" -o /dev/null --data-urlencode "csrf=$token" "$job"
follow
