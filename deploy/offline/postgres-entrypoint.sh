#!/bin/sh
# Initialises an empty $PGDATA the way the official postgres image does (the
# superuser POSTGRES_USER with POSTGRES_PASSWORD, the database POSTGRES_DB,
# password logins from the network), then runs the server.
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    password_file=$(mktemp)
    printf '%s' "$POSTGRES_PASSWORD" > "$password_file"
    initdb --username="$user" --pwfile="$password_file" --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 > /dev/null
    rm -f "$password_file"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    pg_ctl --wait --silent -o "-c listen_addresses=''" start
    if [ "$database" != "postgres" ]; then
        psql --username="$user" --dbname=postgres --quiet \
            --command="CREATE DATABASE \"$database\" OWNER \"$user\""
    fi
    pg_ctl --wait --silent -m fast stop
    echo "initialised $PGDATA for $user, database $database"
fi
if [ "$1" = "postgres" ]; then
    shift
    exec postgres -c listen_addresses='*' "$@"
fi
exec "$@"
