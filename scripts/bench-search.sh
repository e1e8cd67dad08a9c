#!/usr/bin/env bash
# Search latency and throughput on the 65 000-product demo catalogue (PostgreSQL), in
# process and through the `search` service, with wrk on 127.0.0.1 only: the query set
# of scripts/bench-search/queries.txt class by class, then broad queries at 32
# connections; bounded (5–10 s a run) and stops its servers on exit.
# Usage: scripts/bench-search.sh    Needs: wrk, PostgreSQL at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/comptoir-target}"
cargo build --release -q -p comptoir
bin="$CARGO_TARGET_DIR/release"
psql -h 127.0.0.1 -U postgres -d test -qAtc "SELECT 1 FROM pg_database WHERE datname = 'comptoir_bench'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE comptoir_bench"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench RUST_LOG=warn
"$bin/comptoir" seed --products 65000
work=$(mktemp -d /var/tmp/comptoir-bench-search.XXXX)
pids=()
trap 'kill "${pids[@]}" 2> /dev/null || true; rm -rf "$work"' EXIT

echo "== full reindex"
/usr/bin/time -f "reindex: %e s wall, %M KB max resident" "$bin/comptoir" reindex --index-dir "$work/in-process"
du -sh "$work/in-process"

wait_health() { for _ in $(seq 120); do curl -sf "$1" > /dev/null && return; sleep 0.5; done; echo "$1 never ready" >&2; exit 1; }
run() {
    local name="$1" connections="$2" url="$3" out
    curl -sf -o /dev/null "$url" || { echo "$name: $url does not answer 200" >&2; exit 1; }
    out=$(wrk -t1 -c"$connections" -d10s --latency "$url")
    printf '%-40s c=%-3s %9s req/s  p50 %8s  p99 %8s\n' "$name" "$connections" \
        "$(awk '/Requests\/sec/ {print $2}' <<< "$out")" \
        "$(awk '$1 == "50%" {print $2}' <<< "$out")" \
        "$(awk '$1 == "99%" {print $2}' <<< "$out")"
}
three_facets="/es/buscar?q=disfraz&size=M&price=20-30&stock=1"
queries=scripts/bench-search/queries.txt
# Each class of the query set (scripts/bench-search/queries.txt) for 5 s at 8
# connections, wrk taking its queries in turn; every query must answer 200 first.
query_set() {
    local port="$1" label="$2" class out
    grep -v '^#' "$queries" | while read -r class path; do
        curl -sf -o /dev/null "http://127.0.0.1:$port$path" || { echo "$path does not answer 200" >&2; exit 1; }
    done
    for class in $(grep -v '^#' "$queries" | awk '{print $1}' | uniq); do
        grep -v '^#' "$queries" | awk -v c="$class" '$1 == c {print $2}' > "$work/paths"
        out=$(PATHS="$work/paths" wrk -t1 -c8 -d5s --latency -s scripts/bench-search/rotate.lua "http://127.0.0.1:$port")
        printf '%-40s c=8   %9s req/s  p50 %8s  p99 %8s  (%s queries)\n' "$label $class" \
            "$(awk '/Requests\/sec/ {print $2}' <<< "$out")" \
            "$(awk '$1 == "50%" {print $2}' <<< "$out")" \
            "$(awk '$1 == "99%" {print $2}' <<< "$out")" \
            "$(wc -l < "$work/paths")"
    done
}
# Each query of the set alone for 2 s at 8 connections: the ten slowest by p99.
each_query() {
    local port="$1" label="$2" class path out
    grep -v '^#' "$queries" | while read -r class path; do
        out=$(wrk -t1 -c8 -d2s --latency "http://127.0.0.1:$port$path")
        printf '%8s %8s req/s  %s\n' "$(awk '$1 == "99%" {print $2}' <<< "$out")" \
            "$(awk '/Requests\/sec/ {print $2}' <<< "$out")" "$path"
    done | sort -k1,1 -h -r | sed "s|^|$label each, p99 |" | sed -n 1,10p
}
measure() {
    local port="$1" label="$2"
    query_set "$port" "$label"
    each_query "$port" "$label"
    run "$label broad 'disfraz'" 32 "http://127.0.0.1:$port/es/buscar?q=disfraz"
    run "$label search, 3 facets" 32 "http://127.0.0.1:$port$three_facets"
    run "$label autocomplete 'bru'" 32 "http://127.0.0.1:$port/es/autocomplete?q=bru"
}

echo "== in process"
COMPTOIR_BIND=127.0.0.1:8280 SEARCH_INDEX_DIR="$work/in-process" "$bin/comptoir" serve > "$work/shop.log" 2>&1 &
pids+=($!)
wait_health "http://127.0.0.1:8280/health"
until curl -sf "http://127.0.0.1:8280$three_facets" > /dev/null; do sleep 0.5; done
echo "storefront RSS with in-process index: $(grep VmRSS /proc/${pids[0]}/status)"
measure 8280 "in process"
echo "storefront RSS after the runs: $(grep VmRSS /proc/${pids[0]}/status)"
kill "${pids[0]}"

echo "== through the search service"
cp -r "$work/in-process" "$work/service"
SEARCH_BIND=127.0.0.1:8290 SEARCH_INDEX_DIR="$work/service" "$bin/search" > "$work/search.log" 2>&1 &
pids+=($!)
wait_health "http://127.0.0.1:8290/health"
echo "search service RSS: $(grep VmRSS /proc/${pids[1]}/status)"
COMPTOIR_BIND=127.0.0.1:8281 SEARCH_URL=http://127.0.0.1:8290 "$bin/comptoir" serve > "$work/shop2.log" 2>&1 &
pids+=($!)
wait_health "http://127.0.0.1:8281/health"
measure 8281 "service"
