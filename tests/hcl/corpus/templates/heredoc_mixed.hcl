a = <<-EOT
      six
  two
    four
  EOT
