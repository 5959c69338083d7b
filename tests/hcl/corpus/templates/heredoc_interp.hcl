a = <<EOT
one ${1 + 1} three
%{ for x in ["a", "b"] ~}
- ${x}
%{ endfor ~}
end
EOT
