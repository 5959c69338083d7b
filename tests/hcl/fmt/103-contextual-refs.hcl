build {
  name = "ctx"
  sources = ["source.hcloud.main"]
  provisioner "shell-local" {
    inline = [
      "echo ${path.root} ${path.cwd}",
      "echo ${packer.version}",
      "echo ${source.type}.${source.name}",
      "echo ${build.PackerRunUUID}",
    ]
  }
}
