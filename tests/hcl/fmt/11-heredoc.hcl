script = <<EOF
  keep   this   spacing
	tabs too
EOF
other = 1
indented = <<-EOT
    hello ${var.name}
      world ${ upper( var.x ) }
    EOT
