source "hcloud" "arm" {
  server_type = "cax11"
  image = "ubuntu-24.04"
  location="fsn1"
}
source "hcloud" "x86" {
  server_type   = "cx22"
  image         = "ubuntu-24.04"
  location="hel1"
}

build {
  name = "multi"
  sources = [
  "source.hcloud.arm",
      "source.hcloud.x86",
  ]
  provisioner "shell" {
    inline = ["uname -a"]
  }
}
