locals {
  grouped = {for s in var.servers : s.location => s.name...}
  filtered = [for i, v in var.list : v*2 if i%2==0]
  keys = [for k, v in var.map: k]
  obj = {for k,v in var.map : upper(k)=>lower(v)}
}
