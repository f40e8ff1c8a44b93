#!/usr/bin/env bash
# Starts the service locally against a PostgreSQL cluster kept in <repo>/.local/pg (stop it with stop.sh).
# The cluster listens on 127.0.0.1:${CASEFLOW_PG_PORT:-5433} with trust auth; the API on http://127.0.0.1:5080,
# with a development API key (every role) that it prints, kept in <repo>/.local/dev-api-key.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd -P)"

bin="$(deploy/local/ensure-postgres.sh | tail -n 1)"
pgdir="$root/.local/pg"
data="$pgdir/data"
port="${CASEFLOW_PG_PORT:-5433}"

mkdir -p "$pgdir"
if [[ "$(id -u)" -eq 0 ]]; then
  # initdb and postgres refuse to run as root: run them as 'postgres', which must own the folder
  # and be able to reach it.
  chown postgres: "$pgdir"
  dir="$pgdir"
  while [[ "$dir" != / ]]; do
    dir="$(dirname "$dir")"
    if ! runuser -u postgres -- test -x "$dir"; then
      echo "run.sh: letting 'postgres' traverse $dir (chmod o+x)" >&2
      chmod o+x "$dir"
    fi
  done
  # From inside the folder, so the tools can read their working directory.
  pg() { (cd "$pgdir" && runuser -u postgres -- "$@"); }
else
  pg() { "$@"; }
fi

if [[ ! -f "$data/PG_VERSION" ]]; then
  pg "$bin/initdb" -D "$data" --auth=trust -U postgres -E UTF8 --locale=C >/dev/null
fi

if pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  running_port="$(sed -n 4p "$data/postmaster.pid")"
  if [[ "$running_port" != "$port" ]]; then
    echo "run.sh: the cluster in $data is already running on port $running_port; using that." >&2
    port="$running_port"
  fi
else
  # Unix socket paths are limited to ~107 bytes; with a deep checkout, do without the socket (we use TCP).
  sockets="$data"
  if (( ${#data} > 90 )); then sockets="''"; fi
  if ! pg "$bin/pg_ctl" -D "$data" -w -t 60 -l "$pgdir/log" start \
      -o "-p $port -k $sockets -c listen_addresses=127.0.0.1"; then
    echo "run.sh: PostgreSQL failed to start; end of $pgdir/log:" >&2
    tail -n 20 "$pgdir/log" >&2
    exit 1
  fi
fi

psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)
if [[ "$("${psql[@]}" -tAc "select 1 from pg_database where datname = 'caseflow'")" != 1 ]]; then
  "${psql[@]}" -c 'create database caseflow'
fi

# A development API key with every role: made once, kept in .local/dev-api-key (git-ignored, readable by you
# only), given to the service through its environment. Never commit it; never use it anywhere but this machine.
keyfile="$root/.local/dev-api-key"
if [[ ! -s "$keyfile" ]] || ! grep -Eqx '[A-Za-z0-9]{24,}' "$keyfile"; then
  mkdir -p "$root/.local"
  (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | cut -c1-40 > "$keyfile")
fi
chmod 600 "$keyfile"
key="$(cat "$keyfile")"

# A development pseudonymisation secret for imports (docs/imports.md), made the same way and kept beside the key.
secretfile="$root/.local/dev-pseudonymisation-secret"
if [[ ! -s "$secretfile" ]] || ! grep -Eqx '[A-Za-z0-9]{32,}' "$secretfile"; then
  (umask 077 && head -c 64 /dev/urandom | base64 | tr -d '/+=\n' | cut -c1-48 > "$secretfile")
fi
chmod 600 "$secretfile"
export CaseFlow__Pseudonymisation__Secrets__default="$(cat "$secretfile")"

export ConnectionStrings__CaseFlow="Host=127.0.0.1;Port=$port;Username=postgres;Database=caseflow"
export CaseFlow__SeedDemo=true
# Readable logs on the terminal (JSON is for log collectors).
export CaseFlow__Logging__Json=false
export CaseFlow__ApiKeys__0__Name=local-developer
export CaseFlow__ApiKeys__0__Key="$key"
export CaseFlow__ApiKeys__0__Roles__0=ingest
export CaseFlow__ApiKeys__0__Roles__1=analyst
export CaseFlow__ApiKeys__0__Roles__2=auditor
export CaseFlow__ApiKeys__0__Roles__3=admin
export CaseFlow__ApiKeys__0__Sources__0='*'

url=http://127.0.0.1:5080
cat <<EOF

  Dashboard: $url  API key (development only): $key

  Sign in to the dashboard with that key. It is kept in $keyfile; for example:
    curl -H "Authorization: Bearer \$(cat .local/dev-api-key)" $url/api/children/NASEEM01/journey
  Import history (docs/imports.md):
    dotnet run --project src/Lscb.CaseFlow.Import -- cin-census ../shared/data/samples/fake_CIN_data.xml --key-file .local/dev-api-key

EOF
exec dotnet run -c Release --project src/Lscb.CaseFlow.Api -- --urls "$url"
