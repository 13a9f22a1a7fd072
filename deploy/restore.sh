#!/bin/sh
# Restore a backup made by deploy/backup.sh into an EMPTY database and an empty upload folder.
#
#   createdb grantflow_restored
#   DATABASE_URL=postgresql://grantflow@db/grantflow_restored \
#   GRANTFLOW_UPLOAD_FOLDER=/srv/grantflow/uploads-restored  deploy/restore.sh /backups/grantflow/2026-12-04
#
# The checksums are checked first; then pg_restore (stopping at the first error) and the files.
# Afterwards run `flask --app app db upgrade` if the code is newer than the backup.
set -eu

source=${1:?usage: restore.sh BACKUP_FOLDER}
: "${DATABASE_URL:?set DATABASE_URL (postgresql://...) to an empty database}"
: "${GRANTFLOW_UPLOAD_FOLDER:?set GRANTFLOW_UPLOAD_FOLDER (an empty or new folder)}"

url=$(printf '%s' "$DATABASE_URL" | sed -e 's|^postgresql+[a-z0-9]*://|postgresql://|' -e 's|^postgres://|postgresql://|')

(cd "$source" && sha256sum --check --quiet SHA256SUMS)
mkdir -p "$GRANTFLOW_UPLOAD_FOLDER"
if [ -n "$(ls -A "$GRANTFLOW_UPLOAD_FOLDER")" ]; then
    echo "restore.sh: $GRANTFLOW_UPLOAD_FOLDER is not empty" >&2
    exit 1
fi
tables=$(psql "$url" -Atc "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ]; then
    echo "restore.sh: the database already has tables; restore into an empty one" >&2
    exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$url" "$source/database.dump"
tar -C "$GRANTFLOW_UPLOAD_FOLDER" -xzf "$source/uploads.tar.gz"
echo "restore.sh: restored from $source"
