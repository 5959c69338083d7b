a = <<-EOT
  %{ if true ~}
    kept
  %{~ endif }
  tail
  EOT
