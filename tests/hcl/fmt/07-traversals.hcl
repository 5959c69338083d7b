a = var.foo . bar
b = var.list [0]
c = var.map["k"] . attr
d = var.list[*].id
e = var.obj.*.name
f = aws_instance.web [count.index]
