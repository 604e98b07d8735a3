#!/usr/bin/env bash
# ctest: ensemble_mpi (registered when CMake's CORRIDOR_MPI is on). `corridor ensemble` under
# `mpirun -np 1`, `-np 2` and `-np 3` must write the same bytes as one process on threads: every CSV
# (ensemble_summary, ensemble_risk, draws, inputs, and outages when a scenario has random
# outages, as the library does) is compared with cmp. The manifest differs
# by design (it records threads, ranks and the time) and is checked for its rank count.
# Usage: check_mpi.sh CORRIDOR MPIRUN ROOT SCENARIO... (paths relative to ROOT)
set -euo pipefail
corridor=$1 mpirun=$2 root=$3
shift 3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/corridor-mpi-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$root"
# Two or three ranks on a two-core machine: more ranks than cores is intended here. OpenMPI
# refuses to run as root without being told (a container or CI machine often is root).
flags=(--oversubscribe)
[ "$(id -u)" -eq 0 ] && flags+=(--allow-run-as-root)
"$corridor" ensemble "$@" -o "$scratch/threads" --keep-draws -j 2 -q >/dev/null
status=0
for ranks in 1 2 3; do
  "$mpirun" "${flags[@]}" -np "$ranks" "$corridor" ensemble "$@" -o "$scratch/mpi$ranks" \
    --keep-draws -j 1 -q >/dev/null
  for f in ensemble_summary.csv ensemble_risk.csv draws.csv inputs.csv outages.csv; do
    if [ "$f" = outages.csv ] && [ ! -e "$scratch/threads/$f" ]; then
      [ -e "$scratch/mpi$ranks/$f" ] && { echo "ensemble_mpi: outages.csv only with MPI" >&2; status=1; }
      continue
    fi
    if ! cmp "$scratch/threads/$f" "$scratch/mpi$ranks/$f"; then
      echo "ensemble_mpi: $f differs between 2 threads and $ranks MPI ranks" >&2
      status=1
    fi
  done
  if ! grep -q "\"ranks\": $ranks," "$scratch/mpi$ranks/manifest.json"; then
    echo "ensemble_mpi: the manifest of $ranks ranks does not say \"ranks\": $ranks" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "ensemble_mpi: the CSVs of 1, 2 and 3 MPI ranks equal those of 2 threads"
exit "$status"
