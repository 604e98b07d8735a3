#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages), then configures and builds corridor in build/.
# Safe to re-run: apt-get runs only when a package is missing, and the build is incremental.
set -euo pipefail
cd "$(dirname "$0")"

packages=(build-essential cmake libyaml-cpp-dev libboost-graph-dev libeigen3-dev libcli11-dev
          catch2 liblemon-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORRIDOR_WERROR=ON >&2
cmake --build build -j"$(nproc)" >&2
