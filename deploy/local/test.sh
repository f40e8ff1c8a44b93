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

dotnet test Lscb.CaseFlow.sln -c Release "$@"
