#!/usr/bin/env bash
# bench/build-vs-packer.sh: one hcloud template (rescue, no provisioner,
# snapshot) built by kiln and by Packer 1.6.6 (Debian's) against the same
# `kiln local`, at a fixed time scale (BENCH_TIME_SCALE, default 0). Prints
# wall time, API requests (kiln local's /_kiln/counters) and peak memory of
# each. Needs kiln built (BUILD_DIR, default build) and /usr/bin/packer.
# Never asserted in a test.
set -euo pipefail
# kiln local's images: a warm cache, or the first build measures debootstrap.
export KILN_IMAGE_CACHE=${KILN_IMAGE_CACHE:-/var/cache/kiln-test/images}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
kiln=${BUILD_DIR:-$root/build}/kiln
scale=${BENCH_TIME_SCALE:-0}
work=$(mktemp -d /tmp/kiln-bench-build.XXXXXX)
local_pid=
cleanup() {
  if [ -n "$local_pid" ]; then kill "$local_pid" 2>/dev/null || true; wait "$local_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$kiln" local --listen "127.0.0.1:$port" --state "$work/local" --time-scale "$scale" --token benchtoken \
  >"$work/local.log" 2>&1 &
local_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/_kiln/counters" >/dev/null && break; sleep 0.1; done

cat >"$work/t.pkr.hcl" <<HCL
source "hcloud" "bench" {
  token         = "benchtoken"
  endpoint      = "http://127.0.0.1:$port/v1"
  location      = "nbg1"
  server_type   = "cx23"
  image         = "debian-12"
  ssh_username  = "root"
  communicator  = "none"
  rescue        = "linux64"
  snapshot_name = "bench-\${uuidv4()}"
}
build { sources = ["source.hcloud.bench"] }
HCL

run() {  # name, command...
  local name=$1
  shift
  curl -sf -X DELETE "http://127.0.0.1:$port/_kiln/counters" >/dev/null || true
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1 || {
    echo "$name failed:"; tail -20 "$work/$name.out"; return 1; }
  local requests
  requests=$(curl -sf "http://127.0.0.1:$port/_kiln/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  read -r wall rss <"$work/$name.time"
  printf '%-8s wall %7.2f s   requests %5s   peak RSS %7d KB\n' "$name" "$wall" "$requests" "$rss"
}

echo "time scale $scale"
run kiln env KILN_STATE_DIR="$work/state" "$kiln" build -color=false "$work/t.pkr.hcl"
run packer env PACKER_CACHE_DIR="$work/pcache" CHECKPOINT_DISABLE=1 packer build -color=false "$work/t.pkr.hcl"
