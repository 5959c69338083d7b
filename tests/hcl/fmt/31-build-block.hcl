build {
sources = ["source.hcloud.a","source.hcloud.b"]
provisioner "shell" {
inline = ["echo ${build.name}", "uname -a"]
}
post-processor "manifest" {
output = "m.json"
strip_path = true
}
}
