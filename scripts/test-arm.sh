#!/usr/bin/env bash
# Every ISA Lance runs on, on ARM too: installs what a fresh Debian 12 lacks
# for an aarch64 cross build (the arm64 architecture, g++-aarch64-linux-gnu,
# libhwy-dev:arm64, qemu-user; as root or through sudo), builds lar in
# build-arm/ with cross/aarch64-linux-gnu.ini, and runs `lar verify --all`
# under qemu-aarch64 on a NEON-only CPU and on SVE/SVE2 CPUs with vectors of
# 128, 256, 512, 1024 and 2048 bits. Prints one line per (CPU, vector length) with
# the ISAs verified; exits 1 on any failure. Timings under emulation mean
# nothing, so it also checks that lar bench refuses to run there.
#   scripts/test-arm.sh [--quick]   (--quick: the smaller battery everywhere)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=()
case "${1:-}" in
  "") ;;
  --quick) quick=(--quick) ;;
  *) echo "usage: scripts/test-arm.sh [--quick]" >&2; exit 64 ;;
esac

# ---- Packages ---------------------------------------------------------------
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
need_root() {
  if [ -n "$sudo" ] && ! command -v sudo >/dev/null; then
    echo "test-arm: need root or sudo to $1" >&2
    exit 1
  fi
}
update=false
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  need_root "add the arm64 architecture"
  echo "test-arm: dpkg --add-architecture arm64" >&2
  $sudo dpkg --add-architecture arm64
  update=true
fi
# CLI11 and nlohmann_json are header-only (arch: all): the cross build reads
# them from /usr/share/pkgconfig.
packages=(g++ git meson ninja-build pkg-config libcli11-dev nlohmann-json3-dev
          g++-aarch64-linux-gnu libhwy-dev:arm64 qemu-user)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} > 0)); then
  need_root "install: ${missing[*]}"
  update=true
fi
if [ "$update" = true ]; then $sudo apt-get update -qq; fi
if ((${#missing[@]} > 0)); then
  echo "test-arm: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# ---- Cross build ------------------------------------------------------------
# LAR_WERROR=1 (scripts/test.sh sets it) builds with warnings as errors.
werror=false
[ "${LAR_WERROR:-0}" = 1 ] && werror=true
if [ ! -f build-arm/build.ninja ]; then
  meson setup build-arm --cross-file cross/aarch64-linux-gnu.ini -Dtests=false \
    -Dwerror=$werror >/dev/null
elif [ "$werror" = true ]; then
  meson configure build-arm -Dwerror=true >/dev/null
fi
ninja -C build-arm >/dev/null
lar=build-arm/lar
# The arm64 loader and libraries come from the multiarch packages (libc6:arm64,
# pulled in by libhwy-dev:arm64), where qemu finds them without -L.
run() {
  local cpu=$1
  shift
  qemu-aarch64 -cpu "$cpu" "$lar" "$@"
}
echo "test-arm: built $lar ($(run cortex-a72 --version))" >&2

# ---- Verify on each (CPU, vector length) ------------------------------------
# Landed targets, whatever lar list reports (test-only ones are not built).
ids=$(run cortex-a72 list --json | awk -F'"' '
  $2 == "id" { id = $4 }
  $2 == "status" && $4 == "landed" { print id }')
if [ -z "$ids" ]; then
  echo "test-arm: lar list --json reported no landed target" >&2
  exit 1
fi

# CPU, what the line calls it, the ISAs it must verify (Highway adds
# SVE2_128 at 128 bits and SVE_256 at 256).
configs=(
  "cortex-a72|cortex-a72, NEON only|NEON"
  "max,sve-default-vector-length=16|max, SVE 128-bit|SVE2_128 SVE2 SVE NEON"
  "max,sve-default-vector-length=32|max, SVE 256-bit|SVE_256 SVE2 SVE NEON"
  "max,sve-default-vector-length=64|max, SVE 512-bit|SVE2 SVE NEON"
  "max,sve-default-vector-length=128|max, SVE 1024-bit|SVE2 SVE NEON"
  "max,sve-default-vector-length=256|max, SVE 2048-bit|SVE2 SVE NEON"
)
failed=0
for config in "${configs[@]}"; do
  IFS='|' read -r cpu label expected <<<"$config"
  start=$SECONDS
  status=0
  out=$(LAR_EMULATED=1 run "$cpu" verify --all "${quick[@]}" 2>&1) || status=$?
  isas=$(sed -n 's/^verify: .* passed on \(.*\)$/\1/p' <<<"$out")
  problems=()
  [ "$status" -eq 0 ] || problems+=("exit $status")
  for isa in $expected; do
    grep -qw -- "$isa" <<<"$isas" || problems+=("$isa not verified")
  done
  for id in $ids; do
    grep -q "^$id  *pass " <<<"$out" || problems+=("$id did not pass")
  done
  verdict="pass"
  if ((${#problems[@]} > 0)); then
    verdict="FAIL (${problems[*]})"
    failed=1
  fi
  printf 'test-arm: %-24s %-28s %s, %d s\n' "$label" "${isas:-no ISA}" "$verdict" \
    $((SECONDS - start))
  if [ "$verdict" != pass ]; then
    mapfile -t lines <<<"$out"
    printf '  | %s\n' "${lines[@]}"
  fi
done

# ---- Timing refused under emulation ----------------------------------------
# Without LAR_EMULATED: on an x86 host lar must see the emulation itself
# (qemu 7.2 passes the host's /proc/cpuinfo through) and refuse, exit 64.
if [ "$(uname -m)" = x86_64 ]; then
  first=$(head -n 1 <<<"$ids")
  status=0
  err=$(env -u LAR_EMULATED qemu-aarch64 -cpu cortex-a72 "$lar" bench "$first" --quick \
    2>&1 >/dev/null) || status=$?
  if [ "$status" -eq 64 ] && grep -q "emulated" <<<"$err"; then
    echo "test-arm: lar bench under qemu refused, exit 64: ${err#lar: }" >&2
  else
    echo "test-arm: lar bench under qemu: expected exit 64 and a refusal, got exit $status: $err" >&2
    failed=1
  fi
fi

if [ "$failed" -ne 0 ]; then
  echo "test-arm: FAILED" >&2
  exit 1
fi
echo "test-arm: every landed target passed on every (CPU, vector length)" >&2
