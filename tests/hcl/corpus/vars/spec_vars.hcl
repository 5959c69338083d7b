a = "${name}${base + 1}"
