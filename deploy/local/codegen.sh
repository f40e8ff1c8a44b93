#!/usr/bin/env bash
# Writes Wolverine's generated code for the API into src/Lscb.CaseFlow.Api/Internal/Generated, where the build
# compiles it in. Outside Development the API runs that code as it is (TypeLoadMode.Static) and generates nothing,
# so an endpoint added, changed or removed needs this run and the files committed; .ci/run fails otherwise
# (.ci/check-generated-code). The same as `dotnet run --project src/Lscb.CaseFlow.Api -- codegen write`, but it also
# removes files nothing generates any more, and copes with files too stale to compile.
set -euo pipefail
cd "$(dirname "$0")/../.."

api=src/Lscb.CaseFlow.Api
generated="$api/Internal/Generated"
configuration="${CODEGEN_CONFIGURATION:-Release}"

build() { dotnet build "$api" -c "$configuration" --nologo -v quiet -clp:ErrorsOnly "$@"; }

# Usually the committed files still compile; when they do not (an endpoint's signature changed), build without them:
# the code is generated from the assembly, not from these files.
if ! build >/dev/null 2>&1; then
  rm -rf "$generated"
  build
fi

rm -rf "$generated"
# 'codegen write' builds the host without starting it: the connection string is needed but never used.
(cd "$api" && ConnectionStrings__CaseFlow="${ConnectionStrings__CaseFlow:-Host=127.0.0.1;Port=1;Username=codegen}" \
  Logging__LogLevel__Default=Warning \
  dotnet "bin/$configuration/net10.0/Lscb.CaseFlow.Api.dll" codegen write >/dev/null)

count="$(find "$generated" -name '*.cs' | wc -l)"
if (( count == 0 )); then
  echo "codegen.sh: 'codegen write' wrote nothing into $generated" >&2
  exit 1
fi
echo "codegen.sh: $count files in $generated" >&2
