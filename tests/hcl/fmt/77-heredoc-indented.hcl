locals {
  script = <<-EOT
    #!/bin/sh
    set -eu
      echo "indented"
    EOT
  other=<<EOF
raw ${var.x}
  %{ if var.y }yes%{ endif }
EOF
    after = 1
}
