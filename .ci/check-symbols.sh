#!/usr/bin/env bash
# Layering check 2 of 2 (README.md, "Architecture"; ctest: layers_symbols): no static library
# of corridor needs a corridor:: symbol that only a higher layer (or nothing) defines. For each
# library, every undefined corridor:: symbol (functions, vtables, typeinfo) must be defined by
# the library itself or by a library below it; a reference upwards would link only because of
# the link order, and is a layering cycle. Prints each violation, demangled, and exits 1.
#
# Usage: .ci/check-symbols.sh NAME=LIBRARY.a[:LOWER,LOWER...] ...
#   LOWER names the libraries below NAME, each given as its own argument (missing ones, such as
#   a layer not built, are skipped).
set -euo pipefail

declare -A lib lower
order=()
for arg in "$@"; do
  name=${arg%%=*}
  rest=${arg#*=}
  lib[$name]=${rest%%:*}
  lower[$name]=""
  [[ "$rest" == *:* ]] && lower[$name]=${rest#*:}
  order+=("$name")
done

# Mangled global symbols an archive defines, or leaves undefined.
defined() { nm -g --defined-only --format=posix "$1" | awk 'NF >= 2 && $2 ~ /^[A-Za-z]$/ {print $1}'; }
undefined() { nm -u --format=posix "$1" | awk 'NF >= 2 && $2 == "U" {print $1}'; }
# Demangled names of corridor's own symbols: "corridor::...", "vtable for corridor::...", etc.
is_ours='^((vtable|typeinfo|typeinfo name|VTT|guard variable|construction vtable) for )?corridor::'

status=0
for name in "${order[@]}"; do
  file=${lib[$name]}
  allowed=$(mktemp)
  defined "$file" > "$allowed"
  for low in ${lower[$name]//,/ }; do
    [ -n "${lib[$low]:-}" ] && defined "${lib[$low]}" >> "$allowed"
  done
  sort -u -o "$allowed" "$allowed"
  missing=$(undefined "$file" | sort -u | comm -23 - "$allowed" | c++filt | grep -E "$is_ours" || true)
  rm -f "$allowed"
  if [ -n "$missing" ]; then
    echo "error: $name ($file) needs symbols that neither it nor a lower layer" \
         "(${lower[$name]:-none}) defines:"
    echo "$missing" | sed 's/^/    /'
    status=1
  fi
done
if [ "$status" -eq 0 ]; then echo "layers_symbols: ok (${order[*]})"; fi
exit "$status"
