# OpenTofu: a server from the newest NixOS snapshot of the right
# architecture, found by the labels the template sets (nixos.pkr.hcl).
#   tofu init && tofu apply -var server_type=cax21
terraform {
  required_providers {
    hcloud = {
      source  = "hetznercloud/hcloud"
      version = ">= 1.45, < 2"
    }
  }
}

variable "server_type" {
  type        = string
  default     = "cax11"
  description = "Any type with a disk of 40 GB or more; cax* are ARM, the rest x86."
}

variable "nixos_major" {
  type    = string
  default = "24"
}

variable "location" {
  type    = string
  default = "nbg1"
}

locals {
  arch = startswith(var.server_type, "cax") ? "arm" : "x86"
}

data "hcloud_image" "nixos" {
  with_selector     = "os=nixos,built_by=kiln,nixos_major=${var.nixos_major},arch=${local.arch}"
  with_architecture = local.arch
  most_recent       = true
}

resource "hcloud_server" "nixos" {
  name        = "nixos-${local.arch}"
  image       = data.hcloud_image.nixos.id
  server_type = var.server_type
  location    = var.location
  public_net {
    ipv4_enabled = true
    ipv6_enabled = true
  }
}

output "ipv4" {
  value = hcloud_server.nixos.ipv4_address
}

output "ipv6" {
  value = hcloud_server.nixos.ipv6_address
}
