# What `make demo` decodes today: a Packer-like hcloud source with
# variables, a template, a for expression and a heredoc.
source "hcloud" "nixos" {
  image       = "debian-12"
  rescue      = "linux64"
  location    = "nbg1"
  server_type = "cx22"
  snapshot_name = "nixos-${var.version}-${var.stamp}"
  snapshot_labels = {
    for k, v in { os = "nixos", nixos = var.version } : k => v
  }
  user_data = <<-EOT
    #cloud-config
    hostname: kiln-${lower(var.stamp)}
  EOT
}
