#!/usr/bin/env bash
# `kiln upload` end to end against `kiln local` with real sandbox servers:
# raw, gz, bz2, xz, zstd and qcow2 inputs and --image-url (a loopback HTTP
# server) become snapshots whose disk begins with exactly the image's bytes;
# the same content again is reused; a bootable Debian image (kiln local's
# own debian-12) uploaded and booted answers SSH; nothing is left behind.
# Needs root (sandboxes). Usage: tests/upload/run.sh KILN -> "N passed, N failed"
set -uo pipefail

KILN=${1:?usage: run.sh path/to/kiln}
KILN=$(readlink -f "$KILN")
CACHE=${KILN_TEST_IMAGE_CACHE:-/var/cache/kiln-test/images}

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "     $2"; }

if [ "$(id -u)" -ne 0 ]; then
  bad "tests/upload needs root (kiln local's servers are sandboxes)"
  echo "$PASS passed, $FAIL failed"
  exit 1
fi
for b in curl jq zstd xz bzip2 gzip qemu-img python3 ssh ssh-keygen; do
  command -v "$b" >/dev/null || { bad "$b is required (scripts/install-deps.sh)"; echo "$PASS passed, $FAIL failed"; exit 1; }
done

TMP=$(mktemp -d /tmp/kiln-upload-test.XXXXXX)
PID=""
HTTP_PID=""
cleanup() {
  [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null && wait "$HTTP_PID" 2>/dev/null
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

TOKEN=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 64)
export HCLOUD_TOKEN=$TOKEN KILN_STATE_DIR=$TMP/kiln-state
"$KILN" local --listen 127.0.0.1:0 --state "$TMP/state" --time-scale 0 --token "$TOKEN" \
  --image-cache "$CACHE" >"$TMP/out" 2>"$TMP/err" &
PID=$!
ENDPOINT=""
for _ in $(seq 1 200); do
  ENDPOINT=$(sed -n 's/^export HCLOUD_ENDPOINT=//p' "$TMP/out")
  [ -n "$ENDPOINT" ] && break
  sleep 0.05
done
export HCLOUD_ENDPOINT=$ENDPOINT
api() { curl -sf -H "Authorization: Bearer $TOKEN" "$@"; }
if [ -n "$ENDPOINT" ] && grep -q "servers run in sandboxes" "$TMP/out"; then ok "kiln local runs sandboxes"; else
  bad "kiln local starts with sandboxes" "$(cat "$TMP/out" "$TMP/err")"
  echo "$PASS passed, $FAIL failed"
  exit 1
fi

# 64 MiB: random data at the start, text in the middle, a hole, data at the end.
D=$TMP/disk.raw
truncate -s 64M "$D"
head -c 3M /dev/urandom | dd of="$D" conv=notrunc status=none
yes kiln | head -c 1M | dd of="$D" bs=1M seek=40 conv=notrunc status=none
head -c 4097 /dev/urandom | dd of="$D" bs=1 seek=$((64 * 1024 * 1024 - 4097)) conv=notrunc status=none
gzip -c "$D" >"$D.gz"
bzip2 -c "$D" >"$D.bz2"
xz -0 -T1 -c "$D" >"$D.xz"
zstd -q -c "$D" >"$D.zst"
qemu-img convert -c -O qcow2 "$D" "$TMP/disk.qcow2"
SIZE=$(stat -c %s "$D")

snapshot_of() { sed -n 's/^Snapshot\( (reused)\)\?: \([0-9]*\).*/\2/p' "$1" | tail -1; }
same_disk() {  # same_disk SNAPSHOT-ID
  local f=$TMP/state/snapshots/$1.raw
  [ -f "$f" ] && cmp -s -n "$SIZE" "$D" "$f"
}
upload() {  # upload NAME ARGS... -> $SNAP
  local name=$1
  shift
  if timeout 600 "$KILN" upload "$@" >"$TMP/log" 2>&1; then
    SNAP=$(snapshot_of "$TMP/log")
  else
    SNAP=""
    bad "$name: kiln upload failed" "$(tail -5 "$TMP/log")"
    return 1
  fi
}

for f in "$D" "$D.gz" "$D.bz2" "$D.xz" "$D.zst" "$TMP/disk.qcow2"; do
  name=$(basename "$f")
  upload "$name" -image-path "$f" -force -labels test=upload || continue
  if same_disk "$SNAP"; then ok "$name: the snapshot's disk begins with the image's bytes"; else
    bad "$name: snapshot $SNAP differs from the image"
  fi
done

upload "reuse" -image-path "$D.zst" || true
if grep -q "^Snapshot (reused)" "$TMP/log"; then ok "the same content again reuses the snapshot"; else
  bad "the same content again reuses the snapshot" "$(cat "$TMP/log")"
fi

# --image-url: the server fetches from a loopback HTTP server.
(cd "$TMP" && exec python3 -m http.server --bind 127.0.0.1 0 >"$TMP/http.log" 2>&1) &
HTTP_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$TMP/http.log" | head -1)
  [ -n "$PORT" ] && break
  sleep 0.05
done
if upload "url" -image-url "http://127.0.0.1:$PORT/disk.raw.zst" && same_disk "$SNAP"; then
  ok "--image-url: the server fetched, decompressed and wrote the image"
else
  bad "--image-url" "$(tail -5 "$TMP/log")"
fi
kill "$HTTP_PID" 2>/dev/null
wait "$HTTP_PID" 2>/dev/null
HTTP_PID=""

# source "hcloud-upload" in a template: an upload is a build with a manifest.
cat >"$TMP/up.pkr.hcl" <<HCL
source "hcloud-upload" "img" {
  image_path   = "$D.xz"
  architecture = "x86"
  description  = "from-a-template"
  labels       = { from = "template" }
}
build {
  sources = ["source.hcloud-upload.img"]
  post-processor "manifest" {
    output = "$TMP/up-manifest.json"
  }
}
HCL
if (cd "$TMP" && timeout 600 "$KILN" build -force -color=false up.pkr.hcl >"$TMP/tmpl.log" 2>&1); then
  SNAP=$(jq -r '.builds[0].artifact_id' "$TMP/up-manifest.json")
  if same_disk "$SNAP" && grep -q "A snapshot was created: 'from-a-template' (ID: $SNAP)" "$TMP/tmpl.log"; then
    ok "source \"hcloud-upload\": the build's snapshot holds the image, the manifest names it"
  else
    bad "source \"hcloud-upload\": snapshot $SNAP" "$(tail -5 "$TMP/tmpl.log")"
  fi
  if [ "$(api "$ENDPOINT/images/$SNAP" | jq -r .image.labels.from)" = template ]; then
    ok "source \"hcloud-upload\": the snapshot carries the template's labels"
  else
    bad "source \"hcloud-upload\": labels" "$(api "$ENDPOINT/images/$SNAP")"
  fi
else
  bad "kiln build of a source \"hcloud-upload\" template" "$(tail -8 "$TMP/tmpl.log")"
fi
printf 'source "hcloud-upload" "bad" {\n  image_path = "%s"\n  image_url = "http://x/y"\n  format = "vmdk"\n}\nbuild { sources = ["source.hcloud-upload.bad"] }\n' "$D" >"$TMP/bad.pkr.hcl"
OUT=$("$KILN" validate "$TMP/bad.pkr.hcl" 2>&1)
if grep -q "Exactly one of image_path or image_url must be specified." <<<"$OUT" && grep -q 'format must be one of raw, qcow2, not "vmdk".' <<<"$OUT"; then
  ok "source \"hcloud-upload\": validate names the bad options"
else
  bad "source \"hcloud-upload\": validate" "$OUT"
fi

# A bootable Debian image: upload, create a server from the snapshot, SSH.
DEB=$CACHE/debian-12-amd64.raw
if [ -f "$DEB" ]; then
  if upload "debian" -image-path "$DEB" -force -description "debian from kiln upload"; then
    ssh-keygen -q -t ed25519 -N "" -f "$TMP/key"
    KEY=$(api -X POST -H 'Content-Type: application/json' "$ENDPOINT/ssh_keys" \
      -d "{\"name\":\"upload-test\",\"public_key\":\"$(cat "$TMP/key.pub")\"}" | jq -r .ssh_key.id)
    SRV=$(api -X POST -H 'Content-Type: application/json' "$ENDPOINT/servers" \
      -d "{\"name\":\"boot-test\",\"server_type\":\"cx23\",\"image\":\"$SNAP\",\"ssh_keys\":[$KEY]}")
    SID=$(jq -r .server.id <<<"$SRV")
    IP=$(jq -r .server.public_net.ipv4.ip <<<"$SRV")
    up=0
    for _ in $(seq 1 120); do
      if ssh -i "$TMP/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
        -o ConnectTimeout=2 -o LogLevel=ERROR "root@$IP" 'test -e /etc/debian_version' 2>/dev/null; then
        up=1
        break
      fi
      sleep 1
    done
    if [ "$up" = 1 ]; then ok "a server booted from the uploaded Debian snapshot answers SSH"; else
      bad "a server booted from the uploaded Debian snapshot answers SSH" "$(tail -5 "$TMP/out")"
    fi
    api -X DELETE "$ENDPOINT/servers/$SID" >/dev/null
    api -X DELETE "$ENDPOINT/ssh_keys/$KEY" >/dev/null
    sleep 1
  fi
else
  bad "no bootable image at $DEB (run tests/local/run.sh first, or set KILN_TEST_IMAGE_CACHE)"
fi

# SIGINT while the image streams: exit 1, server and key deleted.
BIG=$TMP/big.raw
truncate -s 1G "$BIG"
head -c 512M /dev/urandom | dd of="$BIG" conv=notrunc status=none
"$KILN" upload -image-path "$BIG" >"$TMP/int.log" 2>&1 &
UP=$!
for _ in $(seq 1 600); do
  grep -q "Uploading" "$TMP/int.log" && break
  kill -0 "$UP" 2>/dev/null || break
  sleep 0.1
done
kill -INT "$UP" 2>/dev/null
wait "$UP"
RC=$?
if [ "$RC" = 1 ] && grep -q "Cancelling the upload" "$TMP/int.log" && grep -q "Deleting the temporary server" "$TMP/int.log"; then
  ok "SIGINT during the stream cancels and deletes the temporary server"
else
  bad "SIGINT during the stream (exit $RC)" "$(tail -5 "$TMP/int.log")"
fi
# SIGKILL while the image streams: nothing cleans up in the process, so
# the server and key stay; `kiln cleanup -yes` finds them by the journal.
"$KILN" upload -image-path "$BIG" -force >"$TMP/kill.log" 2>&1 &
UP=$!
for _ in $(seq 1 600); do
  grep -q "Uploading" "$TMP/kill.log" && break
  kill -0 "$UP" 2>/dev/null || break
  sleep 0.1
done
kill -KILL "$UP" 2>/dev/null
wait "$UP" 2>/dev/null
LEFT=$(api "$ENDPOINT/servers?label_selector=kiln.upload=true" | jq '.servers | length')
if [ "$LEFT" = 1 ]; then ok "SIGKILL during the stream leaves its server (as it must)"; else
  bad "SIGKILL during the stream: $LEFT upload servers" "$(tail -3 "$TMP/kill.log"; api "$ENDPOINT/servers" | jq -c '.servers[] | [.id, .name, .status, .labels]')"
fi
if "$KILN" cleanup -yes >"$TMP/cleanup.log" 2>&1 && grep -q "server" "$TMP/cleanup.log"; then
  ok "kiln cleanup -yes after a killed upload"
else
  bad "kiln cleanup -yes after a killed upload" "$(cat "$TMP/cleanup.log")"
fi
for _ in $(seq 1 100); do
  [ "$(api "$ENDPOINT/servers?label_selector=kiln.upload=true" | jq '.servers | length')" = 0 ] && break
  sleep 0.1
done
rm -f "$BIG"

LEFT=$(api "$ENDPOINT/servers?label_selector=kiln.upload=true" | jq '.servers | length')
KEYS=$(api "$ENDPOINT/ssh_keys?label_selector=kiln.upload=true" | jq '.ssh_keys | length')
if [ "$LEFT" = 0 ] && [ "$KEYS" = 0 ]; then ok "no temporary server or key is left"; else
  bad "left behind: $LEFT servers, $KEYS keys"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
