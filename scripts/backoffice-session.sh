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

# The form token of the page on standard input.
form_token() {
    grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'
}

# log_in PORT EMAIL PASSWORD JAR: a logged-in session in the cookie jar JAR; its
# form token (bound to the session, so read again once logged in) in $token.
log_in() {
    token=$(curl -s -c "$4" "http://127.0.0.1:$1/login" | form_token)
    curl -s -b "$4" -c "$4" -o /dev/null --data-urlencode "csrf=$token" \
        --data-urlencode "email=$2" --data-urlencode "password=$3" \
        "http://127.0.0.1:$1/login"
    token=$(curl -s -b "$4" -c "$4" "http://127.0.0.1:$1/" | form_token)
}
