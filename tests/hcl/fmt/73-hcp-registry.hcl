build {
  hcp_packer_registry {
    bucket_name = "nixos"
    description = <<EOT
NixOS images for Hetzner.
EOT
    bucket_labels = {
      "owner"="platform"
      "os"   = "nixos"
    }
    build_labels = {
      "build-time" = timestamp()
    }
  }
  sources = ["source.hcloud.nixos"]
}
