a = <<EOT
line one
line two
EOT
