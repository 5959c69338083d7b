build {
  sources = ["source.null.a"]
  provisioner "breakpoint" {
    disable=false
    note = "inspect the server"
  }
}
