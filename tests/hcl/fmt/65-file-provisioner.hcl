build {
  sources = ["source.hcloud.main"]
  provisioner "file" {
    source = "files/"
    destination="/tmp/files"
  }
  provisioner "file" {
    content = templatefile("${path.root}/motd.tpl", { name = var.name, date = timestamp() })
    destination = "/etc/motd"
  }
  provisioner "file" {
    sources=["a.txt","b.txt"]
    destination = "/opt/"
    direction="upload"
    generated = false
  }
}
