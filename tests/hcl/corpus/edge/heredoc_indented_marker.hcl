a = <<EOT
x
    EOT
