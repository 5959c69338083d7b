a = <<EOT
%{ for k, v in {b = 2, a = 1} ~}
${k}: ${v}
%{ endfor ~}
${<<INNER
nested
INNER
}
EOT
