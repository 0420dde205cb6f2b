#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through CTest.
# Tests that need a server (PostgreSQL) start and stop it themselves.
# Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${OPENALGOD_BUILD_DIR:-$root/build}
"$root/tools/install-deps.sh"
"$root/tools/build.sh" "$build_dir" "${OPENALGOD_BUILD_TYPE:-Release}"
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" --timeout 300
