packer {
  required_plugins {
    hcloud = {
      source="github.com/hetznercloud/hcloud"
      version=">= 1.0.0"
    }
  }
}

variable "hcloud_token" {
  type = string
  default="${env("HCLOUD_TOKEN")}"
  sensitive=true
}

source "hcloud" "nixos" {
  token = var.hcloud_token
  image = "debian-12"
  rescue = "linux64"
  location="fsn1"
  server_type = "cax11"
  ssh_username = "root"
  ssh_keys=["kiln"]
  snapshot_name = "nixos-${formatdate("YYYY-MM-DD", timestamp())}"
  snapshot_labels = {
    os="nixos"
    "nixos-version" = "24.11"
  }
}

build {
  sources = ["source.hcloud.nixos"]
  provisioner "shell" {
    script = "${path.root}/install-nixos.sh"
    environment_vars = [
      "SSH_PUB_KEY=${file("~/.ssh/id_ed25519.pub")}",
    ]
  }
}
