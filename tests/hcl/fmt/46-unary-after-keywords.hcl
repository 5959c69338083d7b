a = [for x in var.l: -x]
b = var.c ? -1 : 2
c = !var.d && !var.e
d = x - y
e = x -y
f = (x)-1
g = x[0]-1
h = "a"-1
