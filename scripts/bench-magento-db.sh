#!/usr/bin/env bash
# Time to migrate a running Magento 1.9 shop straight from its database: `magento-db`
# writes the demo catalogue (65 000 products by default, configurables with their
# children by size, four store views, URL rewrites, a customer per ten products,
# two orders per customer)
# into a new MariaDB database; `comptoir import-magento` then reads it into a
# PostgreSQL database holding only the category tree: a dry run, the migration,
# and a second run (everything unchanged). Then the same for the tests' small
# fixture shop (tests/data/magento19*.sql).
# Usage: scripts/bench-magento-db.sh [PRODUCTS]
# Needs: MariaDB at 127.0.0.1:3306 (root, no password), PostgreSQL at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
products="${1:-65000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir -p comptoir-bench
bin="$CARGO_TARGET_DIR/release"
mysql_root=(mysql -h 127.0.0.1 -u root)

"${mysql_root[@]}" -e "DROP DATABASE IF EXISTS comptoir_bench_magento_db"
/usr/bin/time -f "magento-db: %e s wall" \
    "$bin/magento-db" mysql://root@127.0.0.1:3306/comptoir_bench_magento_db "$products"

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench_magento_db
psql -h 127.0.0.1 -U postgres -d test -qc "DROP DATABASE IF EXISTS comptoir_bench_magento_db"
psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench_magento_db"
# The category tree alone: the migration creates every product.
"$bin/comptoir" seed --products 0 > /dev/null
media=$(mktemp -d /var/tmp/comptoir-bench-magento-db.XXXX)
trap 'rm -rf "$media"' EXIT
export MEDIA_DIR="$media"
magento=mysql://root@127.0.0.1:3306/comptoir_bench_magento_db
for run in "dry run:--dry-run" "migration:" "second run:"; do
    echo "== ${run%%:*}"
    /usr/bin/time -f "${run%%:*}: %e s wall, %U s user, %M KB max resident" \
        "$bin/comptoir" import-magento "$magento" ${run#*:} 2>&1 \
        | grep -v -E "WARN|^  " | tail -12
done

echo "== the tests' fixture shop"
"${mysql_root[@]}" -e "DROP DATABASE IF EXISTS comptoir_bench_magento_fixture; CREATE DATABASE comptoir_bench_magento_fixture"
cat tests/data/magento19_schema.sql tests/data/magento19.sql | "${mysql_root[@]}" comptoir_bench_magento_fixture
/usr/bin/time -f "fixture: %e s wall, %U s user, %M KB max resident" \
    "$bin/comptoir" import-magento mysql://root@127.0.0.1:3306/comptoir_bench_magento_fixture 2>&1 \
    | grep -v -E "WARN|^  " | tail -12
