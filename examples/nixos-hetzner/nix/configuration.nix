# The NixOS system kiln's recipe installs (examples/nixos-hetzner). The
# template's variables arrive in settings.json beside this file, so every
# .nix file here is plain Nix (checked by nix-instantiate --parse).
{ lib, pkgs, modulesPath, ... }:
let
  settings = builtins.fromJSON (builtins.readFile ./settings.json);
in
{
  imports = [
    (modulesPath + "/profiles/qemu-guest.nix")
    ./hardware-configuration.nix
    ./hetzner.nix
    ./extra.nix
  ];

  networking.hostName = lib.mkDefault "nixos";

  services.openssh = {
    enable = true;
    settings.PermitRootLogin = "prohibit-password";
    settings.PasswordAuthentication = false;
  };
  users.users.root.openssh.authorizedKeys.keys = settings.ssh_keys;

  environment.systemPackages = map (name: pkgs.${name}) settings.packages;

  system.stateVersion = settings.nixos_version;
}
