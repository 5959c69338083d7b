a = var.list[*]
b = var.list.*.attr
c = var.list[*].a.b[0]
