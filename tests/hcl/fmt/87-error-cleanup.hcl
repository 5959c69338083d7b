build {
  sources = ["source.hcloud.main"]
  provisioner "shell" {
    inline=["exit 1"]
  }
  error-cleanup-provisioner "shell-local" {
    inline = ["echo 'cleaning up ${source.name}'"]
  }
}
