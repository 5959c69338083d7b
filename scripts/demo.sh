#!/usr/bin/env bash
# make demo: a real build against a Hetzner Cloud on this machine.
#   1. starts `kiln local` (servers are sandboxes with real sshd and disks),
#   2. `kiln build` of examples/local-demo: a server boots into the rescue
#      system, a Debian system is installed onto its disk over SSH, the disk
#      becomes a snapshot (and a manifest),
#   3. a server is created from that snapshot with the hcloud CLI, and we
#      log in to it over SSH and read what the build wrote,
#   4. everything is deleted and kiln local stopped.
# Needs root for the sandboxes (loop devices, namespaces, cgroups); without
# root it shows what the API-only local cloud does.
set -euo pipefail
KILN=$(realpath "${1:-build/kiln}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
example=$root/examples/local-demo

echo "kiln demo — $("$KILN" version)"
echo

work=$(mktemp -d /tmp/kiln-demo.XXXXXX)
# shellcheck source=scripts/lib/kiln-local.sh
. "$here/lib/kiln-local.sh"
cleanup() {
  stop_kiln_local
  rm -rf "$work"
}
trap cleanup EXIT

token=demo-$$-$RANDOM$RANDOM
echo "==> Starting kiln local (a Hetzner Cloud API on loopback, servers in sandboxes)"
if ! start_kiln_local "$KILN" "$work/state" "$token" --time-scale 0.05; then
  echo "kiln local did not start" >&2
  exit 1
fi
endpoint=$KILN_LOCAL_ENDPOINT
sed 's/^/    /' "$work/state.err" | grep -v '^    $' || true
export HCLOUD_ENDPOINT=$endpoint HCLOUD_TOKEN=$token HCLOUD_CONFIG=$work/cli.toml
echo "    export HCLOUD_ENDPOINT=$endpoint"
echo

if [ "$(id -u)" -ne 0 ]; then
  echo "Not root: kiln local serves the API only (servers need root for their"
  echo "sandboxes). Server types it offers, through the hcloud CLI:"
  hcloud server-type list -o columns=name,cores,memory,disk,architecture | sed 's/^/    /'
  echo
  echo "Run 'sudo make demo' for the real build."
  exit 0
fi

ssh-keygen -q -t ed25519 -N "" -C kiln-demo -f "$work/key"
echo "==> kiln build examples/local-demo (rescue system, install onto /dev/sda, snapshot)"
echo "    (the first run builds the Debian images kiln local serves: a few minutes)"
(cd "$work" && "$KILN" build -color=false -var "ssh_public_key=$(cat "$work/key.pub")" "$example") |
  sed 's/^/    /'
snapshot=$(jq -r '.builds[-1].artifact_id' "$work/kiln-demo-manifest.json")
echo
echo "==> The manifest names snapshot $snapshot:"
hcloud image describe "$snapshot" -o format='    {{.ID}} {{.Description}} labels={{.Labels}} image_size={{.ImageSize}} GB' 

echo
echo "==> A server from the snapshot (hcloud CLI), then SSH into it"
hcloud server create --name demo-from-snapshot --type cx23 --image "$snapshot" --location nbg1 \
  >"$work/create.out"
ip=$(hcloud server ip demo-from-snapshot)
ok=""
for _ in $(seq 1 120); do
  if out=$(ssh -i "$work/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o ConnectTimeout=2 -o BatchMode=yes -o LogLevel=ERROR "root@$ip" \
    'cat /etc/kiln-demo; echo "booted from the disk: $(findmnt -no SOURCE,FSTYPE /)"' 2>/dev/null); then
    ok=1
    break
  fi
  sleep 0.5
done
if [ -z "$ok" ]; then
  echo "the server from the snapshot did not answer SSH" >&2
  exit 1
fi
echo "    ssh root@$ip:"
while IFS= read -r line; do echo "      $line"; done <<<"$out"

echo
echo "==> Deleting the server and the snapshot"
hcloud server delete demo-from-snapshot >/dev/null
hcloud image delete "$snapshot" >/dev/null
# Deleting is an action: wait until the server is gone.
left=1
for _ in $(seq 1 100); do
  left=$(hcloud server list -o noheader | wc -l)
  [ "$left" -eq 0 ] && break
  sleep 0.2
done
echo "    servers left: $left, snapshots left: $(hcloud image list -t snapshot -o noheader | wc -l)"
echo
echo "Done. Against the real cloud: export HCLOUD_TOKEN=... and run"
echo "  kiln build -var \"ssh_public_key=\$(cat ~/.ssh/id_ed25519.pub)\" examples/local-demo"
