a = [<<EOT
one
EOT
, <<EOT
two
EOT
]
