build {
  sources = ["source.hcloud.a", "source.hcloud.b"]

  provisioner "shell" {
    only=["hcloud.a"]
    inline = ["echo a"]
  }
  provisioner "shell" {
    except  = ["hcloud.a"]
    inline = ["echo b"]
  }
  post-processor "manifest" {
      only = [ "hcloud.b" ]
  }
}
