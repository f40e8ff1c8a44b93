#!/bin/bash
# A hot standby of postgres-primary: on first start, a base backup streamed from the primary; afterwards, PostgreSQL
# resumes replaying from where it was.
set -euo pipefail
export PGDATA=/var/lib/postgresql/data/pgdata
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  mkdir -p "$PGDATA" && chmod 700 "$PGDATA"
  export PGPASSWORD="$REPLICATION_PASSWORD"
  until pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream -C -S caseflow_replica; do
    echo "waiting for the primary..." >&2
    sleep 2
  done
fi
exec postgres -D "$PGDATA" -c hot_standby=on -c max_connections=200 -c shared_buffers=1GB
