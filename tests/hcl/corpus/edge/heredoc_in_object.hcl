a = {
  k = <<EOT
value
EOT
  j = 2
}
