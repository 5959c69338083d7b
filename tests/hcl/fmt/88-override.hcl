build {
  sources = ["source.hcloud.a", "source.hcloud.b"]
  provisioner "shell" {
    inline = ["echo hi"]
    override = {
      "hcloud.a" = {
        execute_command = "sudo {{.Path}}"
      }
      "hcloud.b"={execute_command="{{.Path}}"}
    }
  }
}
