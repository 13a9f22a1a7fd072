#!/bin/sh
# Back up grantflow: the PostgreSQL database (pg_dump, custom format) and the upload folder.
#
#   DATABASE_URL=postgresql://grantflow@db/grantflow \
#   GRANTFLOW_UPLOAD_FOLDER=/srv/grantflow/uploads  deploy/backup.sh /backups/grantflow/2026-12-04
#
# Writes database.dump, uploads.tar.gz and SHA256SUMS into the (new or empty) folder given.
# The database goes first, then the files: an attachment uploaded meanwhile leaves a file with no
# row (harmless), never a row without its file. Only an attachment removed between the two
# steps (applicants may remove one before sending) could be missing; run backups at a quiet hour.
set -eu

target=${1:?usage: backup.sh BACKUP_FOLDER}
: "${DATABASE_URL:?set DATABASE_URL (postgresql://...)}"
: "${GRANTFLOW_UPLOAD_FOLDER:?set GRANTFLOW_UPLOAD_FOLDER (the upload folder)}"

# libpq does not know SQLAlchemy's driver suffix.
url=$(printf '%s' "$DATABASE_URL" | sed -e 's|^postgresql+[a-z0-9]*://|postgresql://|' -e 's|^postgres://|postgresql://|')

mkdir -p "$target"
if [ -n "$(ls -A "$target")" ]; then
    echo "backup.sh: $target is not empty" >&2
    exit 1
fi
umask 077
pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$url"
mkdir -p "$GRANTFLOW_UPLOAD_FOLDER"
tar -C "$GRANTFLOW_UPLOAD_FOLDER" -czf "$target/uploads.tar.gz" .
(cd "$target" && sha256sum database.dump uploads.tar.gz > SHA256SUMS)
echo "backup.sh: $target written"
