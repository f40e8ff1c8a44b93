#!/usr/bin/env bash
# Refreshes ../wwwroot/vendor/ from the npm registry at the versions pinned in package-lock.json:
# Apache ECharts' prebuilt browser bundle (dist/echarts.min.js) and its licence; Swagger UI's prebuilt bundle and
# stylesheet (swagger-ui-dist), for the API reference page.
# Installs into a throwaway folder, so no node_modules is left in the source tree.
# Usage: web/vendor.sh   (after changing the pin: npm install --package-lock-only echarts@X.Y.Z, then this)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd -P)"
vendor="$here/../wwwroot/vendor"

work="$(mktemp -d "${TMPDIR:-/tmp}/caseflow-web.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund >&2)

version="$(node -p 'require(process.argv[1]).version' "$work/node_modules/echarts/package.json")"
mkdir -p "$vendor"
rm -f "$vendor"/echarts-*.min.js "$vendor"/echarts-*.LICENSE.txt "$vendor"/echarts-*.NOTICE.txt
cp "$work/node_modules/echarts/dist/echarts.min.js" "$vendor/echarts-$version.min.js"
cp "$work/node_modules/echarts/LICENSE" "$vendor/echarts-$version.LICENSE.txt"
if [[ -f "$work/node_modules/echarts/NOTICE" ]]; then
  cp "$work/node_modules/echarts/NOTICE" "$vendor/echarts-$version.NOTICE.txt"
fi
echo "vendored echarts $version into $vendor" >&2

ui="$(node -p 'require(process.argv[1]).version' "$work/node_modules/swagger-ui-dist/package.json")"
rm -rf "$vendor"/swagger-ui-*
mkdir -p "$vendor/swagger-ui-$ui"
cp "$work/node_modules/swagger-ui-dist/swagger-ui-bundle.js" "$work/node_modules/swagger-ui-dist/swagger-ui.css" "$vendor/swagger-ui-$ui/"
cp "$work/node_modules/swagger-ui-dist/LICENSE" "$vendor/swagger-ui-$ui/LICENSE.txt"
if [[ -f "$work/node_modules/swagger-ui-dist/NOTICE" ]]; then
  cp "$work/node_modules/swagger-ui-dist/NOTICE" "$vendor/swagger-ui-$ui/NOTICE.txt"
fi
echo "vendored swagger-ui-dist $ui into $vendor" >&2

if ! grep -q "vendor/swagger-ui-$ui/swagger-ui-bundle.js" "$here/../wwwroot/api-reference/index.html"; then
  echo "vendor.sh: now point wwwroot/api-reference/index.html at vendor/swagger-ui-$ui/" >&2
  exit 1
fi

# index.html names the file with its version (so a browser never keeps a stale copy); say when it must change.
if ! grep -q "vendor/echarts-$version.min.js" "$here/../wwwroot/index.html"; then
  echo "vendor.sh: now point the <script> in wwwroot/index.html at vendor/echarts-$version.min.js" >&2
  exit 1
fi
