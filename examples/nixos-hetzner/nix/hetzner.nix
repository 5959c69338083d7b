# Boot, disks and network that work on every Hetzner Cloud server type, x86
# and ARM, booted by BIOS or UEFI, created from a snapshot of any size.
{ lib, pkgs, ... }:
{
  # Hybrid boot: on x86 grub's core image goes into the BIOS boot partition
  # (for servers that boot by BIOS); on every architecture grub is also
  # installed as the removable EFI loader (\EFI\BOOT\BOOTX64.EFI or
  # BOOTAA64.EFI), because EFI variables written during the build stay in
  # the build server's firmware and are not part of the snapshot.
  boot.loader.grub = {
    enable = true;
    devices = if pkgs.stdenv.hostPlatform.isx86 then [ "/dev/sda" ] else [ "nodev" ];
    efiSupport = true;
    efiInstallAsRemovable = true;
  };
  boot.loader.efi.efiSysMountPoint = "/boot";
  boot.kernelParams = [ "console=tty" ];

  # By label, never /dev/sdaN or /dev/vda; root is the last partition and
  # grows to the disk of whatever server type the snapshot is used on.
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
    autoResize = true;
  };
  fileSystems."/boot" = {
    device = "/dev/disk/by-label/ESP";
    fsType = "vfat";
    options = [ "umask=0077" ];
  };
  boot.growPartition = true;

  # The disk is virtio-scsi (/dev/sda).
  boot.initrd.availableKernelModules = [ "virtio_pci" "virtio_scsi" "sd_mod" "sr_mod" ];

  # Hetzner's password reset goes through the QEMU guest agent.
  services.qemuGuest.enable = true;

  # IPv4 by DHCP; IPv6 has no autoconfiguration on Hetzner Cloud, so
  # cloud-init reads each server's address from the metadata service
  # (every server made from the snapshot has its own /64).
  networking.useDHCP = false;
  networking.useNetworkd = true;
  systemd.network.networks."10-uplink" = {
    matchConfig.Name = "en* eth*";
    networkConfig.DHCP = "ipv4";
  };
  services.cloud-init = {
    enable = true;
    network.enable = true;
    settings.datasource_list = [ "Hetzner" ];
  };

  networking.timeServers = [ "ntp1.hetzner.de" "ntp2.hetzner.com" "ntp3.hetzner.net" ];
}
