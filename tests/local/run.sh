#!/usr/bin/env bash
# Integration test of `kiln local` driven by the real hcloud CLI (Debian's
# hcloud-cli): starts `kiln local` on an ephemeral port with a temporary
# state directory, runs an SSH key / server / rescue / snapshot lifecycle,
# restarts it to check durability, and stops it by PID.
# Usage: tests/local/run.sh KILN   -> prints "N passed, N failed"
set -uo pipefail

KILN=${1:?usage: run.sh path/to/kiln}
KILN=$(readlink -f "$KILN")

need() {  # need BINARY PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 || true
  fi
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "FAIL: $1 is required (apt-get install $2)"
  echo "0 passed, 1 failed"
  exit 1
}
need hcloud hcloud-cli
need jq jq
need curl curl
need ssh-keygen openssh-client

TMP=$(mktemp -d /tmp/kiln-local-test.XXXXXX)
PID=""
stop_kiln() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
    PID=""
  fi
}
cleanup() { stop_kiln; rm -rf "$TMP"; }
trap cleanup EXIT

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "     $2"; }
check() {  # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}

TOKEN=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 64)
export HCLOUD_CONFIG=$TMP/cli.toml
export HCLOUD_TOKEN=$TOKEN

EXTRA_ARGS=()
start_kiln() {
  : >"$TMP/out"
  "$KILN" local --listen 127.0.0.1:0 --state "$TMP/state" --time-scale 0.01 --token "$TOKEN" "${EXTRA_ARGS[@]}" \
    --image-cache "${KILN_TEST_IMAGE_CACHE:-/var/cache/kiln-test/images}" \
    >"$TMP/out" 2>"$TMP/err" &
  PID=$!
  ENDPOINT=""
  for _ in $(seq 1 200); do
    ENDPOINT=$(sed -n 's/^export HCLOUD_ENDPOINT=//p' "$TMP/out")
    [ -n "$ENDPOINT" ] && break
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
  done
  export HCLOUD_ENDPOINT=$ENDPOINT
  for _ in $(seq 1 200); do
    [ -n "$ENDPOINT" ] || break
    curl -sf -H "Authorization: Bearer $TOKEN" "$ENDPOINT/locations" >/dev/null && return 0
    sleep 0.05
  done
  return 1
}

if start_kiln; then ok "kiln local starts and answers GET /v1/locations"; else
  bad "kiln local starts" "$(cat "$TMP/err")"
  echo "$PASS passed, $FAIL failed"
  exit 1
fi
# As root, servers are real sandboxes (with sshd); without root, the API alone.
SANDBOXES=0
grep -q "servers run in sandboxes" "$TMP/out" && SANDBOXES=1
if [ "$(id -u)" -eq 0 ]; then
  check "startup as root says servers run in sandboxes" test "$SANDBOXES" = 1
else
  check "startup without root says servers are unreachable" grep -q "servers are not reachable" "$TMP/out"
fi
check "startup prints HCLOUD_TOKEN" grep -q "^export HCLOUD_TOKEN=$TOKEN\$" "$TMP/out"
# As root, also the other case: an unprivileged kiln local serves the API
# and says that its servers are not reachable.
if [ "$(id -u)" -eq 0 ]; then
  NR=$(mktemp -d /tmp/kiln-nonroot.XXXXXX)  # not under $TMP: that is root's only
  chown 65534:65534 "$NR"
  setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$NR" \
    "$KILN" local --listen 127.0.0.1:0 --state "$NR/state" --token nonroot-token --time-scale 0 \
    >"$NR/out" 2>"$NR/err" &
  NRPID=$!
  NREP=""
  for _ in $(seq 1 200); do
    NREP=$(sed -n 's/^export HCLOUD_ENDPOINT=//p' "$NR/out")
    [ -n "$NREP" ] && break
    sleep 0.05
  done
  check "without root: startup says servers are not reachable" grep -q "servers are not reachable" "$NR/out"
  check "without root: the API answers" curl -sf -o /dev/null -H "Authorization: Bearer nonroot-token" "$NREP/locations"
  kill -TERM "$NRPID" 2>/dev/null
  wait "$NRPID" 2>/dev/null
  rm -rf "$NR"
fi

# Rate limit headers and the error envelope for a bad token.
HDRS=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $TOKEN" "$ENDPOINT/server_types")
check "RateLimit-Limit: 3600" grep -qi "^RateLimit-Limit: 3600" <<<"$HDRS"
check "RateLimit-Remaining and -Reset" bash -c 'grep -qi "^RateLimit-Remaining: [0-9]" <<<"$1" && grep -qi "^RateLimit-Reset: [0-9]" <<<"$1"' _ "$HDRS"
OUT=$(HCLOUD_TOKEN=wrong hcloud server list 2>&1)
check "bad token -> unauthorized" grep -q "unauthorized" <<<"$OUT"

# SSH keys.
ssh-keygen -q -t ed25519 -N "" -C "kiln-test" -f "$TMP/key"
FP=$(ssh-keygen -E md5 -lf "$TMP/key.pub" | awk '{print $2}' | sed 's/^MD5://')
OUT=$(hcloud ssh-key create --name k1 --public-key-from-file "$TMP/key.pub" 2>&1)
check "ssh-key create" grep -q "SSH key [0-9]* created" <<<"$OUT"
KEYS=$(hcloud ssh-key list -o json 2>&1)
check "ssh-key list shows the MD5 fingerprint" test "$(jq -r '.[] | select(.name=="k1") | .fingerprint' <<<"$KEYS")" = "$FP"
OUT=$(hcloud ssh-key create --name k1b --public-key-from-file "$TMP/key.pub" 2>&1)
check "same key twice -> uniqueness_error" grep -q "uniqueness_error" <<<"$OUT"

# Servers.
OUT=$(hcloud server create --name s1 --type cx23 --image debian-12 --location nbg1 --ssh-key k1 \
  --label env=test --label role=build 2>&1)
check "server create s1 (cx23, debian-12, nbg1, ssh key, labels)" grep -q "Server [0-9]* created" <<<"$OUT"
# CLI 1.30.3 (hcloud-go 1.35.3) resolves an image name to the first match, the
# x86 one, so an arm server needs the arm image's ID, as on the real cloud.
api() { curl -sf -H "Authorization: Bearer $TOKEN" "$HCLOUD_ENDPOINT$1"; }
ARM_DEBIAN=$(api "/images?name=debian-12&architecture=arm" | jq -r '.images[0].id')
OUT=$(hcloud server create --name s2 --type cax11 --image debian-12 --location fsn1 2>&1)
check "cax11 with the x86 debian-12 -> incompatible architecture" grep -q "image has incompatible architecture (invalid_input)" <<<"$OUT"
OUT=$(hcloud server create --name s2 --type cax11 --image "$ARM_DEBIAN" --location fsn1 --label env=prod 2>&1)
check "server create s2 (cax11, arm image) without a key prints a root password" grep -q "Root password:" <<<"$OUT"
OUT=$(hcloud server create --name s3 --type cx23 --image debian-12 --location ash 2>&1)
check "cx23 in ash -> resource_unavailable" grep -q "resource_unavailable" <<<"$OUT"

names() { hcloud server list -o json "$@" 2>&1 | jq -r '[(. // [])[].name] | sort | join(",")'; }
check "server list -l env=test" test "$(names -l env=test)" = "s1"
check "server list -l 'env in (test,prod)'" test "$(names -l 'env in (test,prod)')" = "s1,s2"
check "server list -l '!role'" test "$(names -l '!role')" = "s2"
check "server list -l 'env notin (test)'" test "$(names -l 'env notin (test)')" = "s2"
check "server list -l env!=prod,role" test "$(names -l 'env!=prod,role')" = "s1"

S1=$(hcloud server describe s1 -o json 2>&1)
check "s1 is running in nbg1 as cx23" test "$(jq -r '[.status,.location.name,.server_type.name]|join(" ")' <<<"$S1")" = "running nbg1 cx23"
check "s1 has a loopback IPv4" grep -q '^127\.' <<<"$(jq -r .public_net.ipv4.ip <<<"$S1")"
check "s2 runs the arm debian-12" test "$(api /servers?name=s2 | jq -r '.servers[0].image.architecture + " " + .servers[0].server_type.architecture')" = "arm arm"

OUT=$(hcloud server enable-rescue s1 --ssh-key k1 2>&1)
check "enable-rescue prints a root password" grep -q "Rescue enabled for server [0-9]* with root password: ." <<<"$OUT"
check "s1 rescue_enabled" test "$(hcloud server describe s1 -o json | jq -r .rescue_enabled)" = "true"

# Real servers: `hcloud server ssh` (through an ssh wrapper that brings the
# test key), rescue after reset, a write to /dev/sda that a server made from
# the snapshot finds again (below).
mkdir -p "$TMP/bin"
printf '#!/bin/sh\nexec /usr/bin/ssh -i "%s" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR "$@"\n' "$TMP/key" >"$TMP/bin/ssh"
chmod +x "$TMP/bin/ssh"
hssh() {  # hssh SERVER COMMAND: retried while sshd comes up (host keys first)
  local out=""
  for _ in $(seq 1 150); do
    out=$(PATH="$TMP/bin:$PATH" hcloud server ssh "$1" "$2" 2>&1) && { echo "$out"; return 0; }
    sleep 0.2
  done
  echo "$out"
  return 1
}
if [ "$SANDBOXES" = 1 ]; then
  OUT=$(hssh s1 '. /etc/os-release; echo "$(hostname) $VERSION_CODENAME"')
  check "hcloud server ssh s1: debian 12 on its disk" grep -q "^s1 bookworm\$" <<<"$OUT"
  OUT=$(hcloud server reset s1 2>&1)
  check "reset s1 (into rescue)" grep -q "reset" <<<"$OUT"
  check "rescue is for one boot: rescue_enabled false after it" test "$(hcloud server describe s1 -o json | jq -r .rescue_enabled)" = "false"
  OUT=$(hssh s1 'set -e; findmnt -no FSTYPE /; mount /dev/disk/by-label/root /mnt; echo from-rescue >/mnt/root/kiln-data; umount /mnt; echo written')
  check "rescue: root in RAM, the disk's root by label, written" bash -c 'grep -q "^overlay$" <<<"$1" && grep -q "^written$" <<<"$1"' _ "$OUT"
fi
OUT=$(hcloud server poweroff s1 2>&1)
check "poweroff" grep -q "stopped" <<<"$OUT"
check "s1 is off" test "$(hcloud server describe s1 -o json | jq -r .status)" = "off"

OUT=$(hcloud server create-image --type snapshot --description seed --label purpose=seed s1 2>&1)
IMG=$(sed -n 's/^Image \([0-9]*\) created.*/\1/p' <<<"$OUT")
check "create-image --type snapshot --label" test -n "$IMG"
IMGS=$(hcloud image list -l purpose=seed -o json 2>&1)
check "image list -l purpose=seed finds the snapshot" test "$(jq -r '[.[]|"\(.id) \(.type) \(.status) \(.created_from.name)"]|join(";")' <<<"$IMGS")" = "$IMG snapshot available s1"
check "image list --type system has debian-12 for both architectures" test "$(hcloud image list --type system -o json | jq -r '[.[]|select(.name=="debian-12")|.id]|sort|join(",")')" = "$(api '/images?name=debian-12&sort=id' | jq -r '[.images[].id]|join(",")')"
check "GET /images?name=debian-12 has x86 and arm" test "$(api '/images?name=debian-12' | jq -r '[.images[].architecture]|sort|join(",")')" = "arm,x86"

# Durability: SIGKILL right after the last acknowledged write, restart on the
# same state, find everything again.
hcloud server add-label s2 after=kill >/dev/null 2>&1
{
  kill -KILL "$PID"
  wait "$PID"
} 2>/dev/null
PID=""
# The restart also loads a --faults file (docs/local-faults.md).
cat >"$TMP/faults.json" <<'EOF'
// one injected error, on the first GET /v1/ssh_keys
{"seed": 7, "rules": [{"match": "GET /v1/ssh_keys",
  "error": {"code": "maintenance", "message": "injected from the file"}, "count": 1}]}
EOF
EXTRA_ARGS=(--faults "$TMP/faults.json")
if start_kiln; then ok "restart on the same state after SIGKILL"; else bad "restart on the same state after SIGKILL" "$(cat "$TMP/err")"; fi
check "after restart: the last write before SIGKILL is there" test "$(names -l after=kill)" = "s2"
check "after restart: servers kept" test "$(names)" = "s1,s2"
check "after restart: snapshot kept" test "$(hcloud image list -l purpose=seed -o json | jq -r '.[0].id')" = "$IMG"

# Faults (docs/local-faults.md): the file's rule, then rules from the control
# endpoint, as the hcloud CLI sees them; then the request counters.
OUT=$(hcloud ssh-key list 2>&1)
check "--faults file: injected error reaches the CLI" grep -q "^hcloud: injected from the file (maintenance)" <<<"$OUT"
check "--faults file: count 1, the next list works" test "$(hcloud ssh-key list -o json | jq length)" = "1"
BASE=${HCLOUD_ENDPOINT%/v1}
ctl() { curl -s -X "$1" "$BASE/_kiln/$2" ${3:+-d "$3"}; }
check "control: faults need no token" test "$(ctl GET faults | jq -r '.rules[0].fired')" = "1"
ctl DELETE counters
ctl POST faults '{"rules": [{"match": "POST /v1/servers", "error": {"code": "unavailable", "message": "no capacity"}, "count": 1},
  {"match": "POST /v1/ssh_keys", "drop": true, "count": 1},
  {"match": "POST /v1/servers/*/actions/create_image", "fail_action": {"code": "image_failed", "message": "the disk could not be read"}, "count": 1}]}' >/dev/null
OUT=$(hcloud server create --name s9 --type cx23 --image debian-12 2>&1)
check "injected 503 on server create reaches the CLI" grep -q "^hcloud: no capacity (unavailable)" <<<"$OUT"
check "no server made by the refused create" test "$(names)" = "s1,s2"
OUT=$(hcloud ssh-key create --name k9 --public-key-from-file "$TMP/key.pub" 2>&1)
check "dropped connection: the CLI sees EOF" grep -q 'EOF' <<<"$OUT"
OUT=$(hcloud server create-image --type snapshot --description broken s1 2>&1)
check "failed create_image action reaches the CLI" grep -q "failed: the disk could not be read (image_failed)" <<<"$OUT"
check "no image left by the failed create_image" test "$(hcloud image list --type snapshot -o json | jq length)" = "1"
COUNTERS=$(ctl GET counters)
check "counters: POST /v1/servers 503, POST /v1/ssh_keys dropped" test "$(jq -r '[.endpoints["POST /v1/servers"].by_status["503"], .endpoints["POST /v1/ssh_keys"].by_status.dropped] | join(",")' <<<"$COUNTERS")" = "1,1"
check "counters: create_image by template" test "$(jq -r '.endpoints["POST /v1/servers/{id}/actions/create_image"].total' <<<"$COUNTERS")" = "1"
ctl DELETE faults

# Primary IPs, as Packer's public_ipv4 uses them: made apart, given to a
# server; and a placement group.
OUT=$(hcloud placement-group create --name pg --type spread 2>&1)
check "placement-group create" grep -q "Placement group [0-9]* created" <<<"$OUT"
OUT=$(hcloud primary-ip create --type ipv4 --name p1 --datacenter fsn1-dc14 2>&1)
check "primary-ip create" grep -q "Primary IP [0-9]* created" <<<"$OUT"
P1=$(api "/primary_ips?name=p1" | jq -r '.primary_ips[0] | "\(.id) \(.ip)"')
OUT=$(hcloud server create --name s8 --type cx23 --image debian-12 --location fsn1 --primary-ipv4 p1 --placement-group pg --start-after-create=false 2>&1)
check "server create --primary-ipv4 p1 uses its address" grep -q "^IPv4: ${P1#* }\$" <<<"$OUT"
check "the server is in placement group pg" test "$(hcloud server describe s8 -o json | jq -r .placement_group.name)" = "pg"
hcloud server delete s8 >/dev/null 2>&1
for _ in $(seq 1 100); do [ "$(names)" = "s1,s2" ] && break; sleep 0.05; done
check "the primary IP stays, unassigned, when its server goes" test "$(api "/primary_ips/${P1% *}" | jq -r .primary_ip.assignee_id)" = "null"
OUT=$(hcloud primary-ip delete p1 2>&1)
check "primary-ip delete" grep -q "deleted" <<<"$OUT"
OUT=$(hcloud placement-group delete pg 2>&1)
check "placement-group delete" grep -q "deleted" <<<"$OUT"

# Delete protection, as OpenTofu's delete_protection sets it.
OUT=$(hcloud server enable-protection s2 delete rebuild 2>&1)
check "server enable-protection delete rebuild" test "$(hcloud server describe s2 -o json | jq -c .protection)" = '{"delete":true,"rebuild":true}'
OUT=$(hcloud server delete s2 2>&1)
check "a protected server's delete -> protected" grep -q "(protected)" <<<"$OUT"
OUT=$(hcloud server disable-protection s2 delete rebuild 2>&1)
check "server disable-protection" test "$(hcloud server describe s2 -o json | jq -c .protection)" = '{"delete":false,"rebuild":false}'

# Networks and firewalls (what a server may be created in): create, update
# of labels and name, delete.
OUT=$(hcloud network create --name n1 --ip-range 10.0.0.0/16 2>&1)
check "network create" grep -q "Network [0-9]* created" <<<"$OUT"
hcloud network add-label n1 role=build >/dev/null 2>&1
hcloud network update n1 --name n2 >/dev/null 2>&1
check "network add-label and rename" test "$(hcloud network list -l role=build -o json | jq -r '.[0].name')" = "n2"
OUT=$(hcloud network delete n2 2>&1)
check "network delete" test "$(hcloud network list -o json | jq length)" = "0"
OUT=$(hcloud firewall create --name f1 2>&1)
check "firewall create" grep -q "Firewall [0-9]* created" <<<"$OUT"
hcloud firewall add-label f1 role=build >/dev/null 2>&1
check "firewall add-label" test "$(hcloud firewall list -l role=build -o json | jq -r '.[0].name')" = "f1"
OUT=$(hcloud firewall delete f1 2>&1)
check "firewall delete" test "$(hcloud firewall list -o json | jq length)" = "0"

if [ "$SANDBOXES" = 1 ]; then
  OUT=$(hcloud server create --name s4 --type cx23 --image "$IMG" --ssh-key k1 2>&1)
  check "server s4 from the snapshot" grep -q "Server [0-9]* created" <<<"$OUT"
  OUT=$(hssh s4 'cat /root/kiln-data')
  check "s4 holds what rescue wrote on s1" grep -q "^from-rescue$" <<<"$OUT"
  # OpenTofu's way to a new image: rebuild. The disk is debian-12's again,
  # the server answers with the key it was created with.
  OUT=$(hcloud server rebuild s4 --image debian-12 2>&1)
  check "server rebuild s4 --image debian-12" grep -qi "rebuilt" <<<"$OUT"
  OUT=$(hssh s4 'test -e /root/kiln-data && echo still-there || echo fresh-disk; cat /etc/debian_version')
  check "after rebuild s4's disk is debian-12's, answering SSH" grep -q "^fresh-disk$" <<<"$OUT"
  hcloud server delete s4 >/dev/null 2>&1
fi

# Deletion.
OUT=$(hcloud server delete s1 2>&1)
check "server delete s1" grep -qi "server s1 deleted" <<<"$OUT"
hcloud server delete s2 >/dev/null 2>&1
left=""
for _ in $(seq 1 100); do
  left=$(names)
  [ -z "$left" ] && break
  sleep 0.05
done
check "servers gone after delete" test -z "$left"
OUT=$(hcloud image delete "$IMG" 2>&1)
check "image delete" grep -q "deleted" <<<"$OUT"
check "image list -l purpose=seed is empty" test "$(hcloud image list -l purpose=seed -o json | jq length)" = "0"
OUT=$(hcloud ssh-key delete k1 2>&1)
check "ssh-key delete" grep -q "deleted" <<<"$OUT"
check "ssh-key list is empty" test "$(hcloud ssh-key list -o json | jq length)" = "0"

stop_kiln
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
