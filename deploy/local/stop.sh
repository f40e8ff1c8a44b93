#!/usr/bin/env bash
# Stops the PostgreSQL cluster that run.sh keeps in <repo>/.local/pg. Its data is kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
data="$(pwd -P)/.local/pg/data"

if [[ ! -f "$data/postmaster.pid" ]]; then
  echo "stop.sh: no cluster running in $data"
  exit 0
fi

# Use the pg_ctl of the binaries that started the cluster (first word of postmaster.opts).
bin="$(dirname "$(awk '{ print $1; exit }' "$data/postmaster.opts")")"
if [[ "$(id -u)" -eq 0 ]]; then
  (cd "$data/.." && runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast -w stop)
else
  "$bin/pg_ctl" -D "$data" -m fast -w stop
fi
