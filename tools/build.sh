#!/usr/bin/env bash
# Configures (once) and builds openalgod. Usage: tools/build.sh [BUILD_DIR] [BUILD_TYPE]
# OPENALGOD_SANITIZE=ON builds with ASan+UBSan. Used by run.sh and test.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$root/build}
build_type=${2:-Release}
sanitize=${OPENALGOD_SANITIZE:-OFF}

# The web UI's third-party files (Swagger UI for /api/docs) sit beside the sources the daemon serves.
"$root/tools/install-web-assets.sh" ||
  echo "warning: Swagger UI not installed (npm registry unreachable?); /api/docs falls back to its plain page" >&2

cmake -S "$root" -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE="$build_type" -DOPENALGOD_SANITIZE="$sanitize" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
