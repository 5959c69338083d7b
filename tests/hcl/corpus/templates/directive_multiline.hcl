a = <<EOT
%{ if length == 0 }
zero
%{ endif }
EOT
