#!/usr/bin/env bash
# Installs every Debian 12 package openalgod needs to build, run and test.
# Idempotent: installs only what is missing, and asks apt for nothing otherwise.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libsoci-dev libsqlite3-dev libpq-dev
  libsodium-dev libssl-dev libfmt-dev libspdlog-dev doctest-dev
  postgresql-15 sqlite3 openssl curl
  python3 nodejs  # the official OpenAlgo SDKs' checks (tools/sdk-check)
  chromium       # the web UI's browser tests (tests/web)
)
# Debian's nodejs leaves npm to its own package; NodeSource's nodejs (also named nodejs) carries it.
command -v npm >/dev/null 2>&1 || packages+=(npm)
# The Python SDK's own dependencies, for whoever points OPENALGO_PYTHON_SDK at a checkout of it
# (PyPI is not needed: Debian packages them).
[[ -z "${OPENALGO_PYTHON_SDK:-}" ]] || packages+=(python3-httpx python3-pandas python3-websocket python3-numpy)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
