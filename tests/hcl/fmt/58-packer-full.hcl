packer {
  required_plugins {
    hcloud = { version = ">= 1.2.0", source = "github.com/hetznercloud/hcloud" }
  }
}

variable "hcloud_token" {
type = string
  sensitive = true
  default = "${env("HCLOUD_TOKEN")}"
}

variable "images" {
  type = map(object({ type = string, location = optional(string, "fsn1") }))
  default = {
    small = { type = "cx22" }
    "large" = {
      type = "cx52",
      location = "nbg1"
    }
  }
}

locals {
  ts = formatdate("YYYYMMDD-hhmm", timestamp())
  labels = merge(var.labels, { built_by = "kiln", "os" = "nixos" })
  names = [for k, v in var.images : "${k}-${local.ts}" if v.type != ""]
  count = length(var.images)*2+1
  neg = -local.count
}

source "hcloud" "base" {
  token = var.hcloud_token
  image = "debian-12"
  location = "fsn1"
  server_type = "cx22"
  ssh_username = "root"
  rescue = "linux64"
  snapshot_labels = local.labels
  user_data = <<-EOF
    #cloud-config
    packages:
      - curl
  EOF
}

build {
  name = "nixos"
  dynamic "source" {
    for_each = var.images
    labels = ["hcloud.base"]
    content {
      name = source.key
      server_type = source.value.type
      location = source.value.location
    }
  }

  provisioner "shell" {
    environment_vars = ["A=1", "B=${local.ts}"]
    inline = [
      "set -eux",
      "echo ${build.name} > /etc/hostname",   # hostname
      "curl -fsSL https://example.invalid/install | sh -s -- --yes", // installer
    ]
    max_retries = 3
    pause_before = "10s"
  }

  post-processor "manifest" {
    output = "manifest.json"
    custom_data = { ts = local.ts }
  }
}
