#!/usr/bin/env bash
# tests/fuzz/build.sh — configures (once) and builds the libFuzzer harnesses into build-fuzz/ with
# Debian 12's clang 16 and its libc++ (packages clang-16 libclang-rt-16-dev libc++-16-dev
# libc++abi-16-dev). Clang 14 cannot compile the project, and neither can clang 16 with
# libstdc++ 12 (it rejects json::Value's vector of pairs of the incomplete Value) or with OpenMP
# (lambdas capturing structured bindings), so this build is libc++ and single-threaded. The
# library is compiled with -fsanitize=fuzzer-no-link plus ASan + UBSan (every UB report fatal),
# each harness linked with -fsanitize=fuzzer. Only the library and tests/fuzz are built (meson
# option fuzz).
#   tests/fuzz/build.sh            then   tests/fuzz/run.sh HARNESS SECONDS
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f build-fuzz/build.ninja ]]; then
  CC=clang-16 CXX=clang++-16 meson setup build-fuzz -Dfuzz=true -Dwerror=false -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dcpp_args="-stdlib=libc++ -fsanitize=fuzzer-no-link -fno-sanitize-recover=all -Wno-unknown-pragmas" -Dcpp_link_args="-stdlib=libc++"
fi
nice -n "${NICE:-5}" meson compile -C build-fuzz
