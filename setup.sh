#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages), then configures and builds corridor in build/.
# With --checks it also builds build-checks/: the whole test suite under AddressSanitizer and
# UndefinedBehaviorSanitizer with clang, plus the libFuzzer harnesses (tests/fuzz/). It also
# installs LibreOffice Calc, the Python notebook stack (with the `jupyter nbconvert` command and
# openpyxl, which pandas needs for .xlsx) and SciPy, and turns on build/'s tests that round trip
# the CSVs through Calc, read results.xlsx with openpyxl, execute notebooks/ (tests/spreadsheet/)
# and cross-check the hydraulics against an independent SciPy solve (tests/hydraulics/);
# build-checks/ leaves those out, and the doc test (tests/docs/), so they run once. --checks
# also installs OpenMPI and builds build/ with the MPI runner (CORRIDOR_MPI), networkx for
# bench_ensemble and bench_dispatch's peers, and SciPy (HiGHS) for bench_dispatch's peers.
# Safe to re-run: apt-get runs only when a package is missing, and the builds are incremental.
set -euo pipefail
cd "$(dirname "$0")"

checks=0
for arg in "$@"; do
  case "$arg" in
    --checks) checks=1 ;;
    *) echo "setup: unknown option '$arg' (try --checks)" >&2; exit 2 ;;
  esac
done

packages=(build-essential cmake libyaml-cpp-dev libboost-graph-dev libeigen3-dev libcli11-dev
          catch2 liblemon-dev nlohmann-json3-dev libxlsxwriter-dev zlib1g-dev libpugixml-dev
          libsuitesparse-dev)
[ "$checks" -eq 1 ] && packages+=(clang-14 libclang-rt-14-dev libfuzzer-14-dev
                                  libreoffice-calc-nogui python3-pandas python3-matplotlib
                                  python3-nbconvert python3-ipykernel jupyter-nbconvert
                                  python3-openpyxl libopenmpi-dev openmpi-bin
                                  python3-networkx python3-scipy python3-yaml)
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

external=OFF
[ "$checks" -eq 1 ] && external=ON
# With --checks, build/ also has the MPI runner of `corridor ensemble` and its test
# (ensemble_mpi: 1, 2 and 3 ranks against a threaded run); the default build needs no MPI.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORRIDOR_WERROR=ON \
  -DCORRIDOR_EXTERNAL_CHECKS="$external" -DCORRIDOR_MPI="$external" >&2
cmake --build build -j"$(nproc)" >&2

if [ "$checks" -eq 1 ]; then
  cmake -S . -B build-checks -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORRIDOR_WERROR=ON \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCORRIDOR_SANITIZE=ON -DCORRIDOR_FUZZ=ON -DCORRIDOR_BUILD_BENCH=OFF \
    -DCORRIDOR_EXTERNAL_CHECKS=OFF -DCORRIDOR_DOC_TESTS=OFF >&2
  cmake --build build-checks -j"$(nproc)" >&2
fi
