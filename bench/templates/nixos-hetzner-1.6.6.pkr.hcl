# The seed template (../../../shared/seed/template/nixos-hetzner.pkr.hcl)
# rendered for Packer 1.6.6, so that both tools validate the same file:
# 1.6.6 has no required_plugins (its hcloud builder is built in), no
# templatefile() and no `content` on the file provisioner.
packer {
  required_version = ">= 1.6.0"
}

variable "hcloud_token" {
  type      = string
  sensitive = true
  default   = env("HCLOUD_TOKEN")
}

variable "ssh_public_key" {
  type    = string
  default = ""
}

locals {
  timestamp      = regex_replace(timestamp(), "[- TZ:]", "")
  ssh_public_key = var.ssh_public_key != "" ? var.ssh_public_key : file(pathexpand("~/.ssh/hetzner-nixos.pub"))

  nixos_version   = "24.11"
  nixpkgs_version = "branch-off-24.11"
}

source "hcloud" "nixos" {
  image         = "debian-12"
  rescue        = "linux64"
  location      = "nbg1"
  server_type   = "cax31" # ARM64, 8 vCPUs, 16 GB RAM
  snapshot_name = "nixos-${local.timestamp}"
  snapshot_labels = {
    os          = "nixos"
    nixos       = local.nixos_version
    nixos_major = regex_replace(local.nixos_version, "\\..*", "")
    timestamp   = local.timestamp
  }
  ssh_username = "root"
  token        = "${var.hcloud_token}"
}

build {
  sources = ["source.hcloud.nixos"]

  # Packer 1.6.6 has neither templatefile() nor the file provisioner's
  # `content` (both 1.7): the script is uploaded as is and gets its values
  # from the environment.
  provisioner "file" {
    source      = "${path.root}/setup-nixos.sh"
    destination = "/tmp/install.sh"
    direction   = "upload"
  }

  provisioner "shell" {
    inline = [
      "chmod +x /tmp/install.sh",
      "/tmp/install.sh",
    ]
    environment_vars = [
      "NIXOS_VERSION=${local.nixos_version}",
      "NIXPKGS_VERSION=${local.nixpkgs_version}",
      "SSH_PUBLIC_KEY=${local.ssh_public_key}",
    ]
  }

  provisioner "shell" {
    inline = [
      "rm -f /tmp/install.sh",
      "sync",
    ]
  }
}
