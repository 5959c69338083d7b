a = <<EOT
no \n escapes $${here} %%{here} ${"but ${"nested"}"}
EOT
