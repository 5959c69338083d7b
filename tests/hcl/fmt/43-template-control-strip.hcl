a = <<EOT
%{~ for x in var.list ~}
item ${x}
%{~ endfor ~}
EOT
