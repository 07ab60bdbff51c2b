#!/usr/bin/env bash
# The layers of src/ (see src/meson.build): each may include only the layers
# below it. base <- data, simd <- harness <- cli; targets use everything but
# cli. Prints each include that breaks the rule; exits 1 if any does.
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2
status=0
check() {  # check DIR ALLOWED-PREFIX-REGEX
  local dir=$1 allowed=$2
  while IFS= read -r line; do
    echo "layering: $line (a file in $dir/ may include only: $allowed)"
    status=1
  done < <(grep -rnE '^#include "' "$dir" | grep -vE "#include \"(($allowed)/|lar_config.h\")")
}
check src/base 'base'
check src/data 'base|data'
check src/simd 'base|data|simd'
check src/harness 'base|data|simd|harness'
while IFS= read -r line; do
  echo "layering: $line (targets may not include cli/)"
  status=1
done < <(grep -rnE '^#include "cli/' targets)
exit $status
