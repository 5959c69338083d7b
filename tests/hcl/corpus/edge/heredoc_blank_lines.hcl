a = <<-EOT
    first

    after blank
      
    EOT
