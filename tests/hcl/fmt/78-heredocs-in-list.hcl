build {
  provisioner "shell" {
    inline = [
      <<EOF
echo one
EOF
      ,
      "echo two" ,
    ]
  }
}
