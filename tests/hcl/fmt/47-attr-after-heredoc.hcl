a = <<EOT
text
EOT
bb = 2
ccc = <<-EOT
   x
   EOT
d = 4
