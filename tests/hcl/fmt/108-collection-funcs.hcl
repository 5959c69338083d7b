locals {
  a = lookup(var.m,"k","default")
  b = element(var.l,1)
  c = slice(var.l,0,2)
  d = setunion(["a"],["b"])
  e = zipmap(["a","b"],[1,2])
  f = keys(var.m)[0]
  g = coalesce(var.x,"y")
  h = try(var.obj.missing, null)
}
