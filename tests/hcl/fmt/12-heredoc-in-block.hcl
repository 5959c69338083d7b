build {
provisioner "shell" {
inline = [<<EOF
echo hi
EOF
,
"second"]
content = <<-EOT
  line
  EOT
}
}
