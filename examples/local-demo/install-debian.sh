#!/bin/bash
# Runs in the rescue system: installs a Debian system onto /dev/sda. The
# rescue system is Debian, so its own root is copied (a real install would
# debootstrap or unpack an image the same way).
set -euo pipefail
: "${SSH_PUBLIC_KEY:?SSH_PUBLIC_KEY must be set}"

echo "rescue system: $(uname -m), $(grep PRETTY_NAME /etc/os-release | cut -d= -f2)"
parted -s /dev/sda -- mklabel gpt mkpart root ext4 1MiB 100%
mkfs.ext4 -F -q -L root /dev/sda1
mount /dev/disk/by-label/root /mnt

tar -C / --one-file-system --exclude=./proc --exclude=./sys --exclude=./dev \
  --exclude=./run --exclude=./tmp --exclude=./mnt -cf - . | tar -C /mnt -xf -
mkdir -p /mnt/proc /mnt/sys /mnt/dev /mnt/run /mnt/tmp /mnt/mnt
chmod 1777 /mnt/tmp

echo 'LABEL=root / ext4 defaults 0 1' >/mnt/etc/fstab
install -d -m 700 /mnt/root/.ssh
printf '%s\n' "$SSH_PUBLIC_KEY" >/mnt/root/.ssh/authorized_keys
chmod 600 /mnt/root/.ssh/authorized_keys
rm -f /mnt/etc/ssh/ssh_host_* /mnt/etc/machine-id
echo "installed by kiln's demo on $(date -u +%Y-%m-%dT%H:%M:%SZ)" >/mnt/etc/kiln-demo

sync
umount /mnt
echo "installed: $(blkid -o export /dev/sda1 | grep -E '^(LABEL|TYPE)=' | tr '\n' ' ')"
