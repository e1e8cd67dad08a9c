#!/usr/bin/env bash
# Backs up the shop into BACKUP_DIR: PostgreSQL as a custom-format pg_dump
# (compressed, consistent, restorable in parallel) and, with MEDIA_DIR, the media
# folder (uploaded images and their renditions) as a tar. Each file is written under
# a temporary name and renamed when complete, so a file with a final name is whole.
# Prints the files it wrote. Restore with scripts/restore.sh.
#   DATABASE_URL=postgres://… MEDIA_DIR=/srv/media scripts/backup.sh /backups
# In the compose stack: docs/operations.md, "Backups".
set -euo pipefail
dir=${1:?usage: DATABASE_URL=… [MEDIA_DIR=…] scripts/backup.sh BACKUP_DIR}
: "${DATABASE_URL:?set DATABASE_URL to the database of the shop}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dir"

dump="$dir/comptoir-$stamp.dump"
pg_dump --format=custom --no-owner --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
echo "$dump"

if [ -n "${MEDIA_DIR:-}" ]; then
    media="$dir/media-$stamp.tar"
    # Images are compressed already: a plain tar.
    tar -C "$MEDIA_DIR" -cf "$media.partial" .
    mv "$media.partial" "$media"
    echo "$media"
fi
