a = <<-EOT
	tab indented
	  more
	EOT
