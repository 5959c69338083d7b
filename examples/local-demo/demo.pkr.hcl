# The demo `make demo` builds against a `kiln local` started for it: a
# server boots into the rescue system, install-debian.sh installs a Debian
# system onto its disk, the disk becomes a snapshot, and scripts/demo.sh
# then boots a server from the snapshot and logs in to it.
# It runs unchanged against the real cloud (with HCLOUD_TOKEN set).
variable "hcloud_token" {
  type      = string
  sensitive = true
  default   = env("HCLOUD_TOKEN")
}

variable "ssh_public_key" {
  type        = string
  description = "Allowed to log in as root on servers made from the snapshot."
}

variable "server_type" {
  type    = string
  default = "cx23"
}

source "hcloud" "demo" {
  image         = "debian-12"
  rescue        = "linux64"
  location      = "nbg1"
  server_type   = var.server_type
  snapshot_name = "kiln-demo-${formatdate("YYYYMMDDhhmmss", timestamp())}"
  snapshot_labels = {
    app = "kiln-demo"
  }
  ssh_username = "root"
  token        = var.hcloud_token
}

build {
  sources = ["source.hcloud.demo"]

  provisioner "shell" {
    script           = "${path.root}/install-debian.sh"
    environment_vars = ["SSH_PUBLIC_KEY=${var.ssh_public_key}"]
  }

  post-processor "manifest" {
    output = "kiln-demo-manifest.json"
  }
}
