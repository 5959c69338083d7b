#!/usr/bin/env bash
# bench/local-servers.sh KILN [MAX]: kiln local's real servers on this
# machine, as the hcloud CLI and ssh see them (time scale 0, so only the
# work behind each action counts):
#   - create + boot: from `server create` until sshd answers a login;
#   - snapshot of a 40 GB disk (cx23) holding 1 GB more than the image;
#   - servers at once: create in rounds up to MAX (default 50) and count how
#     many answer SSH together, with kiln local's and the sandboxes' memory.
# Needs root. Never asserted in a test.
set -euo pipefail
KILN=$(readlink -f "${1:?usage: local-servers.sh path/to/kiln [MAX]}")
MAX=${2:-50}
work=$(mktemp -d /tmp/kiln-servers-bench.XXXXXX)
# shellcheck source=scripts/lib/kiln-local.sh
. "$(dirname "$0")/../scripts/lib/kiln-local.sh"
cleanup() {
  stop_kiln_local
  rm -rf "$work"
}
trap cleanup EXIT
token=bench-$RANDOM$RANDOM
start_kiln_local "$KILN" "$work/state" "$token" --time-scale 0 || exit 1
ep=$KILN_LOCAL_ENDPOINT
pid=$KILN_LOCAL_PID
export HCLOUD_ENDPOINT=$ep HCLOUD_TOKEN=$token HCLOUD_CONFIG=$work/cli.toml
ssh-keygen -q -t ed25519 -N "" -f "$work/key"
hcloud ssh-key create --name k --public-key-from-file "$work/key.pub" >/dev/null
sshq() { ssh -i "$work/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
  -o BatchMode=yes -o ConnectTimeout=2 -o LogLevel=ERROR "root@$1" "$2"; }
wait_ssh() {  # ip: until a login works (max 120 s)
  for _ in $(seq 1 1200); do sshq "$1" true 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
now() { date +%s.%N; }

# Warm the image cache (the first server of a machine builds debian-12).
hcloud server create --name warm --type cx23 --image debian-12 --ssh-key k >/dev/null
wait_ssh "$(hcloud server ip warm)"
hcloud server delete warm >/dev/null

t0=$(now)
hcloud server create --name one --type cx23 --image debian-12 --ssh-key k >/dev/null
ip=$(hcloud server ip one)
wait_ssh "$ip"
t1=$(now)
printf 'create + boot until SSH login: %.2f s\n' "$(echo "$t1 - $t0" | bc)"

sshq "$ip" 'head -c 1073741824 /dev/urandom > /root/1g && sync'
t0=$(now)
hcloud server create-image --type snapshot --description bench one >/dev/null
t1=$(now)
size=$(hcloud image list -t snapshot -o json | jq -r '.[0].image_size')
printf 'snapshot of a 40 GB disk holding ~1.3 GB: %.2f s (image_size %s GB)\n' "$(echo "$t1 - $t0" | bc)" "$size"
hcloud server delete one >/dev/null

n=0
for round in 1 5 10 20 30 40 50; do
  [ "$round" -le "$MAX" ] || break
  t0=$(now)
  while [ "$n" -lt "$round" ]; do
    n=$((n + 1))
    hcloud server create --name "s$n" --type cx23 --image debian-12 --ssh-key k >/dev/null || break 2
  done
  up=0
  for i in $(seq 1 "$n"); do wait_ssh "$(hcloud server ip "s$i")" && up=$((up + 1)); done
  t1=$(now)
  mem=$(free -m | awk '/^Mem:/{print $3}')
  rss=$(ps -o rss= -p "$pid")
  printf '%2d servers: %2d answer SSH; %.1f s for the round; host memory used %s MB; kiln local RSS %d MB\n' \
    "$n" "$up" "$(echo "$t1 - $t0" | bc)" "$mem" "$((rss / 1024))"
  [ "$up" -eq "$n" ] || break
done
