a = <<EOT extra
x
EOT
