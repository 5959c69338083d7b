#!/usr/bin/env bash
# bench/hcloud-waiter.sh [N...]: requests spent and time to detect completion
# when waiting on N concurrent actions of known durations, kiln's action
# waiter against polling each action every 500 ms (Packer), both against the
# scripted API on 127.0.0.1 in simulated time. Builds hcloud_waiter_bench
# (RelWithDebInfo) in its own build directory and prints the table.
# BENCH_SEEDS=n sets the runs pooled per row (default 10). Never asserted in
# a test; exits 1 where the target (<= 1/4 of the requests, mean detection
# no later) is missed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-$root/build-bench-hcloud}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_TESTS=OFF >/dev/null
fi
ninja -C "$build" -j"${JOBS:-1}" hcloud_waiter_bench >/dev/null
exec "$build/src/hcloud/hcloud_waiter_bench" "$@"
