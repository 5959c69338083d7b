a = <<EOT
café 😀
EOT
