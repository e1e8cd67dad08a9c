#!/usr/bin/env bash
# Do replicas add up? The swarm stack of docker-compose.yml on a one-node swarm
# (images built here, deploy/build-images.sh), with the 65 000-product demo
# catalogue and each storefront replica held to REPLICA_CPUS cores
# (deploy/sizing.yml). `comptoir sizing` loads it through the balancer, as shoppers
# reach it, with one storefront replica and then with two, reading every replica's
# and the search service's CPU from their metrics and PostgreSQL's and Redis's
# counters. The replicas add up when two keep the service level to about twice
# the rate one does. Prints both answers; the reports go to OUT/1 and OUT/2.
# Usage: scripts/sizing-swarm.sh [MAX_MINUTES_PER_RUN] [OUT] [STEP_SECONDS]
# A manual run (about 30 minutes once the release binaries are built), not CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/swarm.sh
minutes="${1:-8}"
out="${2:-/var/tmp/comptoir-sizing-swarm}"
step_seconds="${3:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export REPLICA_CPUS="${REPLICA_CPUS:-0.5}"
stack=comptoir-sizing
secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
export POSTGRES_PASSWORD REDIS_PASSWORD
POSTGRES_PASSWORD=$(secret)
REDIS_PASSWORD=$(secret)
fail() { echo "FAILED: $*" >&2; exit 1; }

trap 'remove_stack "$stack"' EXIT

deploy/build-images.sh
cargo build --release --locked -q -p comptoir --bin comptoir
comptoir="$CARGO_TARGET_DIR/release/comptoir"

join_swarm
docker stack deploy -c docker-compose.yml -c deploy/offline.yml -c deploy/sizing.yml "$stack" > /dev/null
echo "waiting for the catalogue and its search index (seeding 65 000 products takes minutes)"
deadline=$(($(date +%s) + 1200))
until curl -sf "http://localhost:8000/es/buscar?q=bruja" | grep -q '/es/p/'; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "the shop did not find 'bruja' within 20 minutes"
    sleep 5
done

# The host reaches each task on the swarm's docker_gwbridge (the overlay networks
# are the containers' own): the address there of every running task of a service.
addresses() {
    local ids
    ids=$(docker ps -q --no-trunc -f "name=${stack}_$1\.")
    docker network inspect docker_gwbridge \
        -f '{{range $id, $c := .Containers}}{{$id}} {{$c.IPv4Address}}{{"\n"}}{{end}}' \
        | while read -r id address; do
            grep -q "$id" <<< "$ids" && echo "${address%/*}"
        done
}

# One sizing run through the balancer, with $1 storefront replicas.
size_with() {
    local replicas=$1 metrics=() address
    docker service scale --detach=false "${stack}_storefront=$replicas" > /dev/null 2>&1
    sleep 5
    for address in $(addresses storefront); do
        metrics+=(--metrics "http://$address:9464/metrics")
    done
    [ "${#metrics[@]}" = $((2 * replicas)) ] || fail "found ${#metrics[@]}/2 replicas' addresses, not $replicas"
    "$comptoir" sizing --target http://localhost:8000 --replicas "$replicas" "${metrics[@]}" \
        --search-metrics "http://$(addresses search | head -1):9465/metrics" \
        --database-url "postgres://comptoir:$POSTGRES_PASSWORD@$(addresses postgres | head -1):5432/comptoir" \
        --redis-url "redis://:$REDIS_PASSWORD@$(addresses redis | head -1):6379" \
        --max-minutes "$minutes" --step-seconds "$step_seconds" --out "$out/$replicas" \
        | sed -n '/^## The answer/,/^## Steps/p'
}

mkdir -p "$out"
echo; echo "== one storefront replica of $REPLICA_CPUS cores"
size_with 1
echo; echo "== two storefront replicas of $REPLICA_CPUS cores"
size_with 2
sustainable() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["answer"]["sustainable_visits_per_second"])' "$out/$1/sizing.json"; }
one=$(sustainable 1)
two=$(sustainable 2)
echo; echo "one replica kept the service level to $one visits/s, two to $two visits/s (reports in $out)"
