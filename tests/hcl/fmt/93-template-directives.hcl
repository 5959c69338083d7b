locals {
  list = "%{for i, s in var.servers}${i}:${s}%{if i < 2},%{endif}%{endfor}"
  strip = "%{~ if var.x ~} yes %{~ else ~} no %{~ endif ~}"
  hd = <<EOT
%{ for k, v in var.map ~}
${k} = ${v}
%{ endfor ~}
EOT
}
