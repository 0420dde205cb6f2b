#!/usr/bin/env bash
# Quick start: installs what is missing, builds Release and runs the daemon in
# the foreground on 127.0.0.1:5000 with its data in ./var (created on first run).
# Extra arguments go to `openalgod serve`, e.g. tools/run.sh --port 5001.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/install-deps.sh"
"$root/tools/build.sh" "$root/build" Release
cd "$root"
exec "$root/build/openalgod" serve --data-dir "${OPENALGOD_DATA_DIR:-$root/var}" "$@"
