#!/usr/bin/env bash
# Copies the third-party files the web UI serves locally (never from a CDN) into web/: Swagger UI for
# /api/docs, at the version pinned by tools/web-assets/package-lock.json, from the npm registry.
# Idempotent: does nothing when the pinned version is already in place. Install scripts are not run
# (swagger-ui-dist pulls in @scarf/scarf, whose install script only reports the download).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pinned="$root/tools/web-assets"
target="$root/web/docs/swagger-ui"
version=$(sed -n 's/.*"swagger-ui-dist": "\(.*\)".*/\1/p' "$pinned/package.json")
[[ -f "$target/VERSION" && "$(cat "$target/VERSION")" == "$version" ]] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$pinned/package.json" "$pinned/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
dist="$work/node_modules/swagger-ui-dist"
rm -rf "$target"
mkdir -p "$target"
cp "$dist/swagger-ui-bundle.js" "$dist/swagger-ui.css" "$dist/LICENSE" "$target/"
[[ -f "$dist/NOTICE" ]] && cp "$dist/NOTICE" "$target/"
echo "$version" > "$target/VERSION"
echo "install-web-assets: Swagger UI $version in web/docs/swagger-ui"
