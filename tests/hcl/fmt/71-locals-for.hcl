locals {
  ts = formatdate("YYYYMMDDhhmmss",timestamp())
  names = [for s in var.servers : upper(s.name)]
  by_name = {for s in var.servers: s.name => s if s.enabled}
  flat=flatten([for g in var.groups : [for m in g.members : "${g.name}/${m}"]])
  count   = length(var.servers)
}
local "secret" {
  expression = vault("/secret/data/x", "key")
  sensitive=true
}
