# Sourced by the benchmark scripts: starts a release back office on 127.0.0.1 and
# logs a staff member in with curl.

# start_backoffice PORT LOG: starts it in the background (its pid in $office) and
# waits until it answers.
start_backoffice() {
    BACKOFFICE_BIND="127.0.0.1:$1" RUST_LOG=warn "$bin/backoffice" > "$2" 2>&1 &
    office=$!
    for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$1/login" && return; sleep 0.5; done
    echo "the back office did not start: see $2" >&2
    return 1
}

# log_in PORT EMAIL PASSWORD JAR: a logged-in session in the cookie jar JAR; its
# CSRF token in $token.
log_in() {
    curl -s -c "$4" -o /dev/null "http://127.0.0.1:$1/login"
    token=$(awk '$6 == "csrf" { print $7 }' "$4")
    curl -s -b "$4" -c "$4" -o /dev/null --data-urlencode "csrf=$token" \
        --data-urlencode "email=$2" --data-urlencode "password=$3" \
        "http://127.0.0.1:$1/login"
}
