#!/bin/bash
# Installs NixOS onto /dev/sda from Hetzner's rescue system (Debian, root in
# RAM). Run by the template's shell provisioner; docs/nixos.md explains each
# step. What differs from the usual script, and why:
#   - the disk is partitioned and mounted first, and /nix is the target's
#     /nix (a bind mount), so the ISO's store is unpacked once, onto disk,
#     never into the rescue system's RAM: a 4 GB server is enough;
#   - the ISO is never loop-mounted: bsdtar (libarchive) reads ISO 9660 and
#     takes nix-store.squashfs out of the download as it streams;
#   - the unpacked paths are registered (nix-store --load-db), so Nix reuses
#     them instead of deleting and downloading them again;
#   - nixpkgs is the ISO's own channel, so the store paths match;
#   - hybrid layout (BIOS boot, ESP, root last) with grub for BIOS and EFI
#     (removable), so one snapshot boots on every firmware and grows;
#   - /etc/machine-id and SSH host keys are removed and free space trimmed.
#
# Environment: NIXOS_VERSION (e.g. 24.11), NIXOS_CONFIG_DIR (the uploaded
# nix/ files, settings.json and extra.nix), KILN_STOP_AFTER ("disk": stop
# once the disk is ready; for offline runs).
set -euo pipefail

: "${NIXOS_VERSION:?NIXOS_VERSION must be set, e.g. 24.11}"
: "${NIXOS_CONFIG_DIR:?NIXOS_CONFIG_DIR must name the uploaded configuration}"
KILN_STOP_AFTER=${KILN_STOP_AFTER:-}
DISK=${DISK:-/dev/sda}

log() { printf '==> %s\n' "$*"; }
die() {
  printf 'install-nixos: %s\n' "$*" >&2
  exit 1
}

case "$(uname -m)" in
  x86_64) arch=x86_64 ;;
  aarch64) arch=aarch64 ;;
  *) die "unsupported architecture $(uname -m)" ;;
esac
[ -b "$DISK" ] || die "$DISK is not a block device"
for f in configuration.nix hetzner.nix settings.json extra.nix; do
  [ -f "$NIXOS_CONFIG_DIR/$f" ] || die "$NIXOS_CONFIG_DIR/$f is missing"
done

# Waits until the kernel's and /dev's view of the partitions is current
# (udev on the real rescue system; nothing to wait for where there is none).
settle() {
  if command -v udevadm >/dev/null 2>&1; then
    udevadm settle 2>/dev/null || true
  fi
}

# --- 1. Disk: hybrid GPT, root last --------------------------------------
log "Partitioning $DISK ($arch)"
# Discarding the old contents keeps the snapshot small (it holds only data).
blkdiscard -f "$DISK" 2>/dev/null || wipefs -a "$DISK"
parted -s "$DISK" -- \
  mklabel gpt \
  mkpart bios 1MiB 2MiB set 1 bios_grub on \
  mkpart ESP fat32 2MiB 514MiB set 2 esp on \
  mkpart nixos ext4 514MiB 100%
settle

log "Formatting"
mkfs.fat -F 32 -n ESP "${DISK}2" >/dev/null
mkfs.ext4 -F -q -L nixos "${DISK}3"
settle

log "Mounting the target on /mnt"
mkdir -p /mnt
mount /dev/disk/by-label/nixos /mnt
mkdir -p /mnt/boot
mount -o umask=077 /dev/disk/by-label/ESP /mnt/boot
mkdir -p /mnt/etc/nixos
cp "$NIXOS_CONFIG_DIR"/*.nix "$NIXOS_CONFIG_DIR/settings.json" /mnt/etc/nixos/

if [ "$KILN_STOP_AFTER" = disk ]; then
  log "Stopping after the disk (KILN_STOP_AFTER=disk)"
  blkid "${DISK}1" "${DISK}2" "${DISK}3" || true
  findmnt -R -o TARGET,FSTYPE,SOURCE /mnt || true
  sync
  umount /mnt/boot /mnt
  exit 0
fi

# --- 2. The ISO's store, unpacked once onto the disk ---------------------
iso_url="https://channels.nixos.org/nixos-${NIXOS_VERSION}/latest-nixos-minimal-${arch}-linux.iso"
work=/mnt/kiln-install
mkdir -p "$work" /mnt/nix /nix
mount --bind /mnt/nix /nix

log "Downloading $iso_url (nix-store.squashfs only, onto the disk)"
curl -fsSL --retry 5 --retry-delay 5 "$iso_url" |
  bsdtar -x -f - -C "$work" nix-store.squashfs
[ -s "$work/nix-store.squashfs" ] || die "nix-store.squashfs not found in $iso_url"

log "Unpacking the store into /nix/store (the target disk)"
unsquashfs -q -f -d /nix/store "$work/nix-store.squashfs" >/dev/null
rm -f "$work/nix-store.squashfs"

# Paths in /nix/store are only valid once registered; unregistered ones are
# deleted by Nix and fetched again.
store_bin() {
  local hit
  hit=$(find /nix/store -maxdepth 3 -path "*/bin/$1" 2>/dev/null | sort | head -n1)
  [ -n "$hit" ] || die "$1 not found in the ISO's store"
  dirname "$hit"
}
nix_bin=$(store_bin nix-store)
log "Registering the store paths"
mkdir -p /nix/var/nix/db
"$nix_bin/nix-store" --load-db </nix/store/nix-path-registration

# The ISO carries the nixpkgs it was built from (installer/cd-dvd/channel.nix).
channel=$(find /nix/store -maxdepth 2 -path "*-nixos-${NIXOS_VERSION}*/nixos" -type d | sort | tail -n1)
[ -n "$channel" ] || die "the ISO holds no nixos-${NIXOS_VERSION} channel"
export NIX_PATH="nixpkgs=$channel:nixos-config=/mnt/etc/nixos/configuration.nix"
PATH="$(store_bin nixos-install):$(store_bin nixos-generate-config):$nix_bin:$PATH"
export PATH

# --- 3. Install -----------------------------------------------------------
log "Generating hardware-configuration.nix"
nixos-generate-config --root /mnt
# nixos-generate-config keeps an existing configuration.nix (ours).

log "Installing NixOS $NIXOS_VERSION"
# No nixbld users in the rescue system: build as root.
nixos-install --root /mnt --no-root-passwd --no-channel-copy \
  --option build-users-group ""

# --- 4. Snapshot hygiene ---------------------------------------------------
log "Cleaning the target"
nixos-enter --root /mnt -c 'nix-collect-garbage -d' >/dev/null
rm -rf "$work" /mnt/root/.nix-defexpr /mnt/root/.nix-channels
rm -f /mnt/etc/machine-id /mnt/etc/ssh/ssh_host_*
fstrim /mnt/boot 2>/dev/null || true
fstrim /mnt 2>/dev/null || true
sync
umount /nix /mnt/boot /mnt
log "NixOS $NIXOS_VERSION is on $DISK"
