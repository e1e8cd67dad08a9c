#!/usr/bin/env bash
# Restores a backup of scripts/backup.sh into an empty database (create it first:
# `createdb comptoir_restored`), and the media tar into a folder. It refuses a
# database that has tables: a restore never writes over a shop.
#   scripts/restore.sh BACKUP.dump TARGET_DATABASE_URL [MEDIA.tar MEDIA_DIR]
set -euo pipefail
dump=${1:?usage: scripts/restore.sh BACKUP.dump TARGET_DATABASE_URL [MEDIA.tar MEDIA_DIR]}
target=${2:?usage: scripts/restore.sh BACKUP.dump TARGET_DATABASE_URL [MEDIA.tar MEDIA_DIR]}

tables=$(psql "$target" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
    echo "the target database has $tables tables: restore into an empty one" >&2
    exit 1
fi
# Both cores; a failed statement stops the restore (the target is then to be dropped).
pg_restore --exit-on-error --no-owner --jobs=2 --dbname="$target" "$dump"
echo "restored $dump"

if [ $# -ge 4 ]; then
    mkdir -p "$4"
    tar -C "$4" -xf "$3"
    echo "restored $3 into $4"
fi
