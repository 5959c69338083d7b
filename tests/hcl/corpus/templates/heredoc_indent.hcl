a = <<-EOT
    indented
      more
    back
    EOT
