#!/usr/bin/env bash
# Layering check 1 of 2 (README.md, "Architecture"; ctest: layers_includes): each external
# library's headers are included only in the folder of its layer, and the public headers in
# include/corridor/ include the standard library and corridor's own headers only. tests/ and
# bench/ are exempt. Prints every violation as file:line and exits 1 if there is one.
# Usage: .ci/check-includes.sh [PROJECT_ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

# The include prefix (an extended regex) and the only folder that may include it.
rules=(
  'lemon/|sim/dispatch'
  'yaml-cpp/|sim/io'
  'nlohmann/|sim/io'
  'xlsxwriter|sim/io'
  'CLI/|sim/app'
  'boost/|sim/model'
  'Eigen/|sim/hydraulics'
  'klu\.h|sim/hydraulics'
  'pugixml\.hpp|sim/io'
  'mpi\.h|sim/studies'
)
sources() { find sim include -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.hpp' \) | sort; }
include_re='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'
# "file:line:text" as "file:line: error: WHY: text".
report() { awk -v why="$1" '{ i = index($0, ":"); j = index(substr($0, i + 1), ":");
  print substr($0, 1, i + j - 1) ": error: " why ": " substr($0, i + j + 1) }'; }

status=0
for rule in "${rules[@]}"; do
  pattern=${rule%%|*}
  folder=${rule#*|}
  hits=$(sources | grep -v "^$folder/" | xargs grep -nE "$include_re$pattern" /dev/null || true)
  if [ -n "$hits" ]; then
    echo "$hits" | report "<${pattern//\\/}...> may be included in $folder/ only"
    status=1
  fi
done

# Public headers: the standard library (no '/' in the name, but <sys/...>) and corridor/.
hits=$(grep -rnE "${include_re}" include |
  grep -vE '#[[:space:]]*include[[:space:]]*(<[^/>]+>|"corridor/[^"]+"|<corridor/[^>]+>)' || true)
if [ -n "$hits" ]; then
  echo "$hits" | report "a public header includes standard and corridor/ headers only"
  status=1
fi

# Public headers are std-only in their types too: no compiler extensions such as __int128.
hits=$(grep -rn '__int128' include || true)
if [ -n "$hits" ]; then
  echo "$hits" | report "__int128 in a public header (keep 128-bit arithmetic in .cpp files)"
  status=1
fi

if [ "$status" -eq 0 ]; then echo "layers_includes: ok"; fi
exit "$status"
