a = max(1,2,3)
b = format ("%s-%s", var.x, local.y)
c = concat(["a"],  ["b"] , var.list...)
d = upper( "x" )
