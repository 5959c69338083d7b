build {
  sources = ["source.null.x"]
  provisioner "shell-local" {
    inline = ["echo ${build.ID}", "echo ${build.Host}"]
    env = {
      BUILD_NAME=build.name
      SOURCE   = source.name
    }
    inline_shebang="/bin/bash -e"
  }
}
