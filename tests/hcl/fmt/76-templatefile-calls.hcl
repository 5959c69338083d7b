locals {
  user_data = templatefile("${path.root}/user-data.tftpl", {
    hostname = var.hostname
    ssh_keys = var.ssh_keys
    packages=["git","vim"]
  })
  script = file("${path.root}/scripts/setup.sh")
  hash = sha256(file("x.bin"))
}
