#!/usr/bin/env bash
# The whole suite: set-up (scripts/setup.sh), the doctest suites through
# meson test, then an AddressSanitizer + UBSan build that runs every
# target's battery and a quick bench, so out-of-bounds SIMD tails are caught,
# and last the aarch64 cross build verified under qemu (scripts/test-arm.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

export LAR_WERROR=1  # the suite builds with warnings as errors
scripts/setup.sh
meson test -C build --print-errorlogs

if [ ! -f build-asan/build.ninja ]; then
  # Warnings are errors in build/ above; not here, where GCC 12's
  # -Wmaybe-uninitialized misreads sanitizer-instrumented std::regex.
  meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dtests=false >/dev/null
fi
ninja -C build-asan >/dev/null
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
build-asan/lar verify --all --quick
for id in $(build-asan/lar list --json | sed -n 's/.*"id": "\(.*\)".*/\1/p'); do
  build-asan/lar bench "$id" --quick --max-seconds 1 >/dev/null
done
# Every target on aarch64 under qemu: NEON and SVE at 128 to 2048 bits.
# Without -Werror: the cross compiler is the same GCC 12, but its warnings
# are not what this suite gates on.
LAR_WERROR=0 scripts/test-arm.sh
echo "test: all suites passed" >&2
