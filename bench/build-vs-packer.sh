#!/usr/bin/env bash
# bench/build-vs-packer.sh: one hcloud template (rescue, no provisioner,
# snapshot) built by kiln and by Packer 1.6.6 (Debian's) against the same
# `kiln local`, at a fixed time scale (BENCH_TIME_SCALE, default 1: the
# real cloud's durations; BENCH_TIME_JITTER, default 0.2, varies each
# action's duration by up to +-20 %). Prints wall time, the time outside the cloud's
# actions (the overhead: what the tool itself controls), API requests (kiln
# local's /_kiln/counters) and peak memory of each, for RUNS alternating runs
# (default 1). Needs kiln built (BUILD_DIR, default build) and
# /usr/bin/packer. Never asserted in a test.
set -euo pipefail
# kiln local's images: a warm cache, or the first build measures debootstrap.
export KILN_IMAGE_CACHE=${KILN_IMAGE_CACHE:-/var/cache/kiln-test/images}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
kiln=${BUILD_DIR:-$root/build}/kiln
scale=${BENCH_TIME_SCALE:-1}
# Real actions do not take whole seconds; kiln local's model does, which
# would let a client polling every 500 ms see each end at once.
jitter=${BENCH_TIME_JITTER:-0.2}
runs=${RUNS:-1}
work=$(mktemp -d /tmp/kiln-bench-build.XXXXXX)
local_pid=
cleanup() {
  if [ -n "$local_pid" ]; then kill "$local_pid" 2>/dev/null || true; wait "$local_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$kiln" local --listen "127.0.0.1:$port" --state "$work/local" --time-scale "$scale" --time-jitter "$jitter" --token benchtoken \
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
  local t0=$EPOCHREALTIME
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1 || {
    echo "$name failed:"; tail -20 "$work/$name.out"; return 1; }
  local t1=$EPOCHREALTIME requests in_actions
  requests=$(curl -sf "http://127.0.0.1:$port/_kiln/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  # Time inside the cloud's actions: the union of the intervals during which
  # at least one action of this run was running (kiln local's timeline, with
  # sub-second times). The rest of the wall time is the tool's overhead:
  # start-up, requests, and the delay between an action's end and the tool
  # noticing it.
  in_actions=$(curl -sf "http://127.0.0.1:$port/_kiln/actions" | python3 -c '
import json, sys
t0, t1 = float(sys.argv[1]), float(sys.argv[2])
iv = sorted((max(a["start"], t0), min(a["end"] if a["end"] is not None else t1, t1))
            for a in json.load(sys.stdin)["actions"] if a["start"] >= t0 - 0.001)
total, cur = 0.0, None
for s, e in iv:
    if cur and s <= cur[1]: cur[1] = max(cur[1], e)
    else:
        if cur: total += cur[1] - cur[0]
        cur = [s, e]
if cur: total += cur[1] - cur[0]
print(f"{total:.2f}")' "$t0" "$t1")
  read -r wall rss <"$work/$name.time"
  printf '%-8s wall %7.2f s   in actions %7.2f s   overhead %6.2f s   requests %5s   peak RSS %7d KB\n' \
    "$name" "$wall" "$in_actions" "$(python3 -c "print(max(0.0, $wall - $in_actions))")" "$requests" "$rss"
}

echo "time scale $scale, durations +-$jitter"
for _ in $(seq "$runs"); do
  run kiln env KILN_STATE_DIR="$work/state" "$kiln" build -color=false "$work/t.pkr.hcl"
  run packer env PACKER_CACHE_DIR="$work/pcache" CHECKPOINT_DISABLE=1 packer build -color=false "$work/t.pkr.hcl"
done
