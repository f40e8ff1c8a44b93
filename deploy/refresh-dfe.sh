#!/usr/bin/env bash
# Refreshes the DfE reference data committed under src/Lscb.CaseFlow.Api/Features/Reference/dfe/ (see its README.md).
#   deploy/refresh-dfe.sh [DIR]
# DIR holds the DfE CSVs (default: ../shared/data/dfe beside the repository); a newer release downloaded by hand
# can be given instead, with the same file names. Needs only the .NET 10 SDK.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$repo/../shared/data/dfe}"
if [[ ! -d "$dir" ]]; then
  echo "refresh-dfe: no such directory: $dir" >&2
  exit 2
fi
dir="$(cd "$dir" && pwd)"
cd "$repo"
exec dotnet run --file deploy/refresh-dfe.cs -- "$dir" "$repo/src/Lscb.CaseFlow.Api/Features/Reference/dfe"
