#!/bin/bash
# Debian's Packer 1.6.6, with its own hcloud builder, as an independent
# client of kiln local: it builds a snapshot (rescue mode, a shell
# provisioner that writes to /dev/sda), and a server created from that
# snapshot (booted into rescue with the hcloud CLI) holds what was written.
# Then an injected failure of create_image reaches Packer as the real API's
# would, and nothing is left behind.
# Usage: tests/local/packer.sh KILN   (root: kiln local's sandboxes)
set -uo pipefail
KILN=$(realpath "${1:?usage: packer.sh KILN}")
if [ "$(id -u)" -ne 0 ]; then
  echo "packer on kiln local: needs root (kiln local's sandboxes)"
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
for tool in packer hcloud ssh-keygen jq curl; do
  command -v $tool >/dev/null || {
    echo "missing $tool (scripts/install-deps.sh installs it)"
    exit 1
  }
done
TMP=$(mktemp -d /tmp/kiln-packer-test.XXXXXX)
# shellcheck source=scripts/lib/kiln-local.sh
. "$(dirname "$0")/../../scripts/lib/kiln-local.sh"
cleanup() {
  stop_kiln_local
  rm -rf "$TMP"
}
trap cleanup EXIT
PASS=0 FAIL=0
ok() {
  PASS=$((PASS + 1))
  echo "ok   $1"
}
bad() {
  FAIL=$((FAIL + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && echo "$2" | tail -n 30 | sed 's/^/     /'
}

TOKEN=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 64)
start_kiln_local "$KILN" "$TMP/state" "$TOKEN" --time-scale 0.01 || exit 1
ENDPOINT=$KILN_LOCAL_ENDPOINT
BASE=${ENDPOINT%/v1}
export HCLOUD_ENDPOINT=$ENDPOINT HCLOUD_TOKEN=$TOKEN HCLOUD_CONFIG=$TMP/cli.toml
export CHECKPOINT_DISABLE=1 PACKER_CACHE_DIR=$TMP/pcache HOME=$TMP/home
mkdir -p "$HOME"

MARK="written-by-packer-1.6.6-$RANDOM$RANDOM"
cat >"$TMP/p.pkr.hcl" <<HCL
source "hcloud" "p" {
  token           = "$TOKEN"
  endpoint        = "$ENDPOINT"
  location        = "nbg1"
  server_type     = "cx23"
  image           = "debian-12"
  rescue          = "linux64"
  ssh_username    = "root"
  snapshot_name   = "packer-166"
  snapshot_labels = { built_by = "packer-1-6-6" }
}
build {
  sources = ["source.hcloud.p"]
  provisioner "shell" {
    inline = [
      "set -e",
      "findmnt -no FSTYPE /",
      "printf '%s\\\\n' $MARK | dd of=/dev/sda bs=512 seek=2048 conv=notrunc,sync status=none",
      "sync",
    ]
  }
}
HCL
OUT=$(cd "$TMP" && packer build -color=false p.pkr.hcl 2>&1)
if grep -q "A snapshot was created: 'packer-166'" <<<"$OUT"; then ok "packer 1.6.6 build"; else bad "packer 1.6.6 build" "$OUT"; fi
if grep -q "hcloud.p: overlay" <<<"$OUT"; then ok "provisioner ran in the rescue system (root in RAM)"; else bad "provisioner ran in the rescue system" "$OUT"; fi
if grep -q "$TOKEN" <<<"$OUT"; then bad "the token appears in Packer's output"; else ok "token not in output"; fi
SNAP=$(hcloud image list -l built_by=packer-1-6-6 -o json | jq -r '.[0].id')
if [ -n "$SNAP" ] && [ "$SNAP" != null ]; then ok "snapshot found by label"; else bad "snapshot found by label"; fi

# A server from the snapshot, into rescue, reads the disk.
ssh-keygen -q -t ed25519 -N "" -C packer-test -f "$TMP/key"
hcloud ssh-key create --name k --public-key-from-file "$TMP/key.pub" >/dev/null
hcloud server create --name from-packer --type cx23 --image "$SNAP" --location nbg1 --ssh-key k \
  --start-after-create=false >/dev/null 2>&1
hcloud server enable-rescue from-packer --ssh-key k >/dev/null
hcloud server poweron from-packer >/dev/null
IP=$(hcloud server ip from-packer)
READ=""
for _ in $(seq 1 150); do
  READ=$(ssh -i "$TMP/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
    -o ConnectTimeout=2 -o LogLevel=ERROR "root@$IP" 'dd if=/dev/sda bs=512 skip=2048 count=1 status=none | head -n1' 2>/dev/null) && break
  sleep 0.2
done
if [ "$READ" = "$MARK" ]; then ok "a server from the snapshot holds what Packer's provisioner wrote"; else bad "server from the snapshot holds the data" "read: $READ"; fi
hcloud server delete from-packer >/dev/null

# An injected failure of create_image reaches Packer as an error, and
# Packer's own cleanup leaves no server and no key behind.
curl -sf -X POST "$BASE/_kiln/faults" -H 'Content-Type: application/json' \
  -d '{"rules":[{"match":"POST /v1/servers/*/actions/create_image","fail_action":{"code":"image_failed","message":"injected"}}]}' >/dev/null ||
  bad "POST /_kiln/faults"
sed -i 's/snapshot_name   = "packer-166"/snapshot_name   = "packer-166-b"/' "$TMP/p.pkr.hcl"
OUT=$(cd "$TMP" && packer build -color=false p.pkr.hcl 2>&1)
CODE=$?
if [ "$CODE" -ne 0 ] && grep -q "Error creating snapshot" <<<"$OUT"; then ok "an injected create_image failure fails Packer's build"; else bad "injected create_image failure (exit $CODE)" "$OUT"; fi
for _ in $(seq 1 100); do
  [ "$(hcloud server list -o noheader | wc -l)" -eq 0 ] && break
  sleep 0.1
done
if [ "$(hcloud server list -o noheader | wc -l)" -eq 0 ]; then ok "no server left"; else bad "no server left" "$(hcloud server list)"; fi
if [ "$(hcloud ssh-key list -o noheader | grep -vc '^[0-9]* *k ')" -eq 0 ]; then ok "no temporary key left"; else bad "no temporary key left" "$(hcloud ssh-key list)"; fi
echo "packer 1.6.6 on kiln local: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
