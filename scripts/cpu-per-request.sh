#!/usr/bin/env bash
# Processor time a running storefront spends per request of one URL: wrk asks it at 8
# connections for a few seconds on 127.0.0.1 while `perf stat` counts the server's
# task clock. Steadier than req/s on a shared machine, whose stolen time slows every
# request without adding to the task clock.
# Usage: scripts/cpu-per-request.sh URL [seconds]    Needs: perf, wrk; one `comptoir serve`.
set -euo pipefail
url="$1" seconds="${2:-4}"
case "$url" in
    http://127.0.0.1:*) ;;
    *) echo "only http://127.0.0.1 targets" >&2; exit 1 ;;
esac
pid=$(pgrep -f 'comptoir serve' | tail -1)
stat=$(mktemp)
trap 'rm -f "$stat"' EXIT
perf stat -e task-clock -x, -o "$stat" -p "$pid" -- sleep $((seconds + 1)) &
sleep 0.3
out=$(wrk -t1 -c8 -d"${seconds}s" --latency "$url")
wait
requests=$(awk '/requests in/ {print $1}' <<< "$out")
clock_ms=$(awk -F, '/task-clock/ {print $1}' "$stat")
printf '%-70s %9s req/s  p99 %8s  %.3f ms of processor a request\n' "$url" \
    "$(awk '/Requests\/sec/ {print $2}' <<< "$out")" \
    "$(awk '$1 == "99%" {print $2}' <<< "$out")" \
    "$(awk -v c="$clock_ms" -v n="$requests" 'BEGIN {print c / n}')"
