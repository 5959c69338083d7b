# A raw NixOS disk image for Hetzner Cloud, built locally with Nix and
# turned into a snapshot by `kiln upload` or nixos-upload.pkr.hcl:
#
#   nix-build image.nix -A x86 -o result-x86   # needs KVM (make-disk-image runs a VM)
#   nix-build image.nix -A arm -o result-arm   # an aarch64 builder, or binfmt
#
# The same system as examples/nixos-hetzner (nix/hetzner.nix: hybrid
# BIOS+EFI grub, root by label growing on first boot, DHCPv4 + IPv6 from
# the metadata service), in make-disk-image's "hybrid" layout (BIOS boot
# partition, ESP labelled ESP, root labelled nixos, root last).
{ nixpkgs ? <nixpkgs>, sshKeys ? [ ] }:
let
  build = system:
    let
      nixos = import "${nixpkgs}/nixos" {
        inherit system;
        configuration = { modulesPath, ... }: {
          imports = [
            (modulesPath + "/profiles/qemu-guest.nix")
            ../nixos-hetzner/nix/hetzner.nix
          ];
          services.openssh.enable = true;
          services.openssh.settings.PermitRootLogin = "prohibit-password";
          users.users.root.openssh.authorizedKeys.keys = sshKeys;
          system.stateVersion = "24.11";
        };
      };
    in
    import "${nixpkgs}/nixos/lib/make-disk-image.nix" {
      inherit (nixos) config pkgs;
      inherit (nixos.pkgs) lib;
      format = "raw";
      partitionTableType = "hybrid";
      diskSize = "auto";
      additionalSpace = "512M";
      # Compressed on the way out: kiln decompresses zstd on the server.
      postVM = ''
        ${nixos.pkgs.zstd}/bin/zstd -T0 --rm $out/nixos.img -o $out/nixos.img.zst
      '';
    };
in
{
  x86 = build "x86_64-linux";
  arm = build "aarch64-linux";
}
