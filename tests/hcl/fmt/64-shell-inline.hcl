build {
  sources = ["source.hcloud.main"]
  provisioner "shell" {
    inline = [
      "apt-get update",
        "apt-get install -y curl jq",
   "curl -fsSL https://example.com/install.sh | sh",
      "echo done"
    ]
    environment_vars = ["DEBIAN_FRONTEND=noninteractive","FOO=${var.foo}"]
    execute_command = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"
    expect_disconnect=true
    pause_before="10s"
    max_retries=3
    timeout="5m"
  }
}
