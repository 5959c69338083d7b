#!/bin/bash
# The NixOS recipe against kiln local: everything before the NixOS download
# runs for real (stop_after = "disk") on cx23 (x86) and cax11 (ARM, under
# qemu-user): rescue system, partitions, filesystems, labels, mounts
# including the ESP (vfat through FUSE). Then the snapshots' disks are
# checked: hybrid GPT (BIOS boot, ESP, root last), labels, and the
# configuration copied onto the root filesystem.
# Usage: tests/nixos/local.sh KILN   (root: kiln local's sandboxes)
set -uo pipefail
kiln=$(realpath "${1:?usage: local.sh KILN}")
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/examples/nixos-hetzner
if [ "$(id -u)" -ne 0 ]; then
  echo "nixos local: needs root (kiln local's sandboxes)"
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() {
  fail=$((fail + 1))
  printf 'FAIL %s\n' "$*"
}
expect() { # name, command...
  local name=$1
  shift
  if "$@" >/dev/null 2>&1; then ok; else bad "$name"; fi
}

work=$(mktemp -d /tmp/kiln-nixos.XXXXXX)
loops=()
# shellcheck source=scripts/lib/kiln-local.sh
. "$root/scripts/lib/kiln-local.sh"
cleanup() {
  [ -n "${KEEP:-}" ] && cp "$work/build.out" /tmp/nixos-build.out
  for l in "${loops[@]}"; do losetup -d "$l" 2>/dev/null; done
  stop_kiln_local
  rm -rf "$work"
}
trap cleanup EXIT

token=nixos-test-$$-$RANDOM
start_kiln_local "$kiln" "$work/state" "$token" --time-scale 0 || exit 1
endpoint=$KILN_LOCAL_ENDPOINT
export HCLOUD_ENDPOINT=$endpoint HCLOUD_TOKEN=$token
if (cd "$work" && "$kiln" build -color=false -var stop_after=disk \
  -var 'ssh_keys=["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBJ8cG3mVXqYbq6ZOHWcC9JZrKXuZdVIGSwVqO2XTkOW test"]' \
  "$dir" >"$work/build.out" 2>&1); then
  ok
else
  bad "kiln build -var stop_after=disk"
  tail -n 40 "$work/build.out"
fi
expect "arm: the rescue system runs arm64 (uname -m)" grep -q "hcloud.arm: ==> Partitioning /dev/sda (aarch64)" "$work/build.out"
expect "x86: the rescue system runs x86_64 (uname -m)" grep -q "hcloud.x86: ==> Partitioning /dev/sda (x86_64)" "$work/build.out"
for arch in x86 arm; do
  expect "$arch: blkid in the rescue system sees the ESP" grep -Eq "hcloud.$arch: /dev/sda2: .*LABEL=\"ESP\".*TYPE=\"vfat\"" "$work/build.out"
  expect "$arch: blkid in the rescue system sees the root" grep -Eq "hcloud.$arch: /dev/sda3: .*LABEL=\"nixos\".*TYPE=\"ext4\"" "$work/build.out"
  expect "$arch: the ESP was mounted on /mnt/boot" grep -Eq "hcloud.$arch: [^a-z]*/mnt/boot " "$work/build.out"
  if grep -q "hcloud.$arch: .*You found a bug in GNU Parted" "$work/build.out"; then bad "$arch: parted complains"; else ok; fi
done
if grep -q "$token" "$work/build.out"; then bad "the token appears in the output"; else ok; fi

snaps=("$work"/state/snapshots/*.raw)
if [ "${#snaps[@]}" -eq 2 ] && [ -f "${snaps[0]}" ]; then ok; else bad "two snapshots (got ${#snaps[@]})"; fi
for snap in "${snaps[@]}"; do
  [ -f "$snap" ] || continue
  name=$(basename "$snap")
  table=$(sfdisk -J "$snap" 2>/dev/null)
  expect "$name: GPT" test "$(jq -r .partitiontable.label <<<"$table")" = gpt
  expect "$name: three partitions" test "$(jq '.partitiontable.partitions | length' <<<"$table")" = 3
  types=$(jq -r '.partitiontable.partitions[].type' <<<"$table" | tr '\n' ' ')
  expect "$name: BIOS boot, ESP, Linux (got $types)" test "$types" = \
    "21686148-6449-6E6F-744E-656564454649 C12A7328-F81F-11D2-BA4B-00A0C93EC93B 0FC63DAF-8483-4772-8E79-3D69D8477DE4 "
  # Root is last and ends at the end of the disk (it can grow).
  last_end=$(jq '.partitiontable.partitions[2] | .start + .size' <<<"$table")
  sectors=$(($(stat -c %s "$snap") / 512))
  expect "$name: root ends within 1 MiB of the disk's end" test $((sectors - last_end)) -le 2048
  for i in 1 2; do
    start=$(jq ".partitiontable.partitions[$i].start" <<<"$table")
    size=$(jq ".partitiontable.partitions[$i].size" <<<"$table")
    l=$(losetup -r -f --show -o $((start * 512)) --sizelimit $((size * 512)) "$snap") || {
      bad "$name: losetup"
      continue
    }
    loops+=("$l")
    probe=$(blkid -p -o export "$l")
    if [ "$i" = 1 ]; then
      expect "$name: ESP is FAT32 labelled ESP" grep -qx 'LABEL=ESP' <<<"$probe"
      expect "$name: ESP is vfat" grep -qx 'TYPE=vfat' <<<"$probe"
    else
      expect "$name: root is ext4 labelled nixos" grep -qx 'LABEL=nixos' <<<"$probe"
      expect "$name: root is ext4" grep -qx 'TYPE=ext4' <<<"$probe"
      settings=$(debugfs -R 'cat /etc/nixos/settings.json' "$l" 2>/dev/null)
      expect "$name: settings.json on the root" test "$(jq -r .nixos_version <<<"$settings")" = 24.11
      expect "$name: configuration.nix on the root" bash -c "debugfs -R 'stat /etc/nixos/configuration.nix' '$l' 2>/dev/null | grep -q 'Type: regular'"
    fi
    losetup -d "$l"
  done
done
loops=()
echo "nixos recipe on kiln local: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
