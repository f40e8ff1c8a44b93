#!/usr/bin/env bash
# Makes sure PostgreSQL server binaries (initdb, pg_ctl, postgres) are installed, installing the Debian
# 'postgresql' package if needed, and prints their directory as the last line on stdout.
# Idempotent. Progress goes to stderr so callers can use: bin=$(deploy/local/ensure-postgres.sh)
set -euo pipefail

find_bin() {
  if [[ -n "${PG_BIN:-}" && -x "$PG_BIN/initdb" ]]; then
    echo "$PG_BIN"; return 0
  fi
  # Debian/Ubuntu layout: /usr/lib/postgresql/<major>/bin. Prefer the newest major version.
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" ]]; then echo "$dir"; return 0; fi
  done
  # Elsewhere (e.g. Homebrew) initdb is usually on PATH.
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

if [[ "$(id -u)" -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  sudo=(cannot-become-root)
fi

if ! bin=$(find_bin); then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: no PostgreSQL server binaries found and apt-get is unavailable." >&2
    echo "Install PostgreSQL (server) and set PG_BIN to the directory holding initdb," >&2
    echo "or set CASEFLOW_TEST_POSTGRES to a connection string for the tests." >&2
    exit 1
  fi
  if [[ "${sudo[0]:-}" == cannot-become-root ]]; then
    echo "ensure-postgres: PostgreSQL is not installed, and installing it needs root (no sudo found)." >&2
    echo "Run as root: apt-get update && apt-get install -y postgresql" >&2
    exit 1
  fi

  echo "ensure-postgres: installing the Debian 'postgresql' package..." >&2
  # Keep the package from starting the distribution's own cluster service: we run our own clusters.
  # policy-rc.d exit code 101 means "action forbidden" to invoke-rc.d.
  added_policy=false
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
    added_policy=true
  fi
  cleanup() { if $added_policy; then "${sudo[@]}" rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup EXIT

  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2

  if ! bin=$(find_bin); then
    echo "ensure-postgres: installed 'postgresql' but still cannot find initdb under /usr/lib/postgresql/*/bin." >&2
    exit 1
  fi
fi

# initdb/postgres refuse to run as root; our scripts and test fixture then run them as 'postgres'.
# The Debian package creates this user; make sure it exists anyway.
if [[ "$(id -u)" -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
  echo "ensure-postgres: creating the 'postgres' system user..." >&2
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

echo "$bin"
