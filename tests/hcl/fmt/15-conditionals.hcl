a = var.x ? "yes" : "no"
b = var.x==null?1:2
c = (var.a ? var.b : var.c)
