a = [for x in var.list: upper(x)]
b = {for k, v in var.map: k => v}
c = [for x in [1,2,3]: x if x > 1]
d = {for k,v in var.m : k=>v...}
e = [for s in var.list : s]
