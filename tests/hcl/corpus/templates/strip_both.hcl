a = <<EOT
start
  %{~ for x in [1, 2, 3] ~}
  ${x}
  %{~ endfor ~}
end
EOT
