#!/usr/bin/env bash
# Installs what a fresh Debian 12 lacks (apt-get; as root or through sudo),
# configures build/ with Meson and builds lar. Safe to re-run: it installs
# nothing that is present and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ git meson ninja-build cmake pkg-config
          libhwy-dev libcli11-dev nlohmann-json3-dev doctest-dev)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} > 0)); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# LAR_WERROR=1 (scripts/test.sh sets it) builds with warnings as errors.
werror=false
[ "${LAR_WERROR:-0}" = 1 ] && werror=true
if [ ! -f build/build.ninja ]; then
  meson setup build -Dwerror=$werror >/dev/null
elif [ "$werror" = true ]; then
  meson configure build -Dwerror=true >/dev/null  # kept afterwards: trials strip -Werror
fi
ninja -C build >/dev/null
echo "setup: built build/lar ($(build/lar --version))" >&2
