#!/usr/bin/env bash
# Runs every test in the solution. Extra arguments go to 'dotnet test'.
# Integration tests start their own throwaway PostgreSQL (see PostgresServer.cs), so this only makes sure
# the server binaries are installed. Set CASEFLOW_TEST_POSTGRES to use an existing server instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ -z "${CASEFLOW_TEST_POSTGRES:-}" ]]; then
  PG_BIN="$(deploy/local/ensure-postgres.sh | tail -n 1)"
  export PG_BIN
fi

# The browser tests drive Debian's Chromium (never a downloaded browser): install it when it is missing.
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "test.sh: /usr/bin/chromium is missing, and installing it needs root (no sudo found)." >&2
    echo "Run as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
  echo "test.sh: installing Debian's 'chromium' package for the browser tests..." >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2
fi

dotnet test Lscb.CaseFlow.sln -c Release "$@"
