#!/usr/bin/env bash
# bench/local-api.sh KILN [N]: API latency of `kiln local` on loopback, as
# curl sees it (time_total per request): GET /server_types and GET /servers
# (25 servers, one page) over one keep-alive connection, and POST /servers
# (a durable SQLite commit each) one connection per request. Prints median and
# p99 in milliseconds. Never asserted in a test.
set -euo pipefail
KILN=$(readlink -f "${1:?usage: local-api.sh path/to/kiln [N]}")
N=${2:-300}
work=$(mktemp -d /tmp/kiln-local-bench.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$KILN" local --listen 127.0.0.1:0 --state "$work/state" --time-scale 0 --token bench >"$work/out" 2>&1 &
pid=$!
ep=""
for _ in $(seq 1 200); do
  ep=$(sed -n 's/^export HCLOUD_ENDPOINT=//p' "$work/out")
  [ -n "$ep" ] && curl -sf -H "Authorization: Bearer bench" "$ep/locations" >/dev/null && break
  sleep 0.05
done
[ -n "$ep" ] || { echo "kiln local did not start"; cat "$work/out"; exit 1; }
H=(-H "Authorization: Bearer bench")

stats() {  # reads seconds, one a line; prints "median p99" in ms
  sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; p=a[int(NR*0.99)>0?int(NR*0.99):1];
    printf "%.2f %.2f\n", m*1000, p*1000}'
}

post_times() {
  for i in $(seq 1 "$1"); do
    curl -s -o /dev/null -w '%{time_total}\n' "${H[@]}" -H 'Content-Type: application/json' \
      -d "{\"name\":\"b$i\",\"server_type\":\"cx23\",\"image\":\"debian-12\"}" "$ep/servers"
  done
}
get_times() {  # get_times PATH COUNT
  local urls=()
  for _ in $(seq 1 "$2"); do urls+=(-o /dev/null "$ep$1"); done
  curl -s "${H[@]}" -w '%{time_total}\n' "${urls[@]}"
}

read -r pm pp < <(post_times 25 | stats)
read -r tm tp < <(get_times /server_types "$N" | stats)
read -r sm sp < <(get_times /servers "$N" | stats)
printf 'kiln local on loopback (%s), %d GETs each, 25 POSTs\n' "$KILN" "$N"
printf '%-28s %10s %10s\n' request "median ms" "p99 ms"
printf '%-28s %10s %10s\n' "GET /v1/server_types" "$tm" "$tp"
printf '%-28s %10s %10s\n' "GET /v1/servers (25)" "$sm" "$sp"
printf '%-28s %10s %10s\n' "POST /v1/servers (fsync)" "$pm" "$pp"
