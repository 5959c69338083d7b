# NixOS images built locally with Nix (image.nix) become Hetzner snapshots:
# a 40 GB server of each architecture in rescue mode, the image streamed
# over SSH and decompressed on the server, a snapshot with the labels
# examples/nixos-hetzner/main.tf selects on. A snapshot of the same content
# is reused, not uploaded again (-force uploads anyway).
#
#   cd examples/nixos-upload
#   nix-build image.nix -A x86 -o result-x86 && nix-build image.nix -A arm -o result-arm
#   HCLOUD_TOKEN=... kiln build .          (image paths are relative to the cwd)
variable "hcloud_token" {
  type      = string
  sensitive = true
  default   = env("HCLOUD_TOKEN")
}

variable "x86_image" {
  type    = string
  default = "result-x86/nixos.img.zst"
}

variable "arm_image" {
  type    = string
  default = "result-arm/nixos.img.zst"
}

variable "nixos_version" {
  type    = string
  default = "24.11"
}

locals {
  timestamp = formatdate("YYYYMMDDhhmmss", timestamp())
  labels = {
    os          = "nixos"
    nixos       = var.nixos_version
    nixos_major = split(".", var.nixos_version)[0]
    built_by    = "kiln"
    timestamp   = local.timestamp
  }
}

source "hcloud-upload" "x86" {
  token        = var.hcloud_token
  image_path   = var.x86_image
  architecture = "x86"
  description  = "nixos-${var.nixos_version}-x86-${local.timestamp}"
  labels       = merge(local.labels, { arch = "x86" })
}

source "hcloud-upload" "arm" {
  token        = var.hcloud_token
  image_path   = var.arm_image
  architecture = "arm"
  description  = "nixos-${var.nixos_version}-arm-${local.timestamp}"
  labels       = merge(local.labels, { arch = "arm" })
}

build {
  sources = ["source.hcloud-upload.x86", "source.hcloud-upload.arm"]

  post-processor "manifest" {
    output = "nixos-upload-manifest.json"
  }
}
