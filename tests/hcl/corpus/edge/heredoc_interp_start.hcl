a = <<-EOT
  ${"x"} start
    ${"y"}
  EOT
