locals {
  ids = var.servers[*].id
  first=var.servers[0].name
  legacy = var.servers.*.ip
  nested = var.a[0][1]["key"].b
  m = var.map["x"]
  last = var.list[length(var.list)-1]
}
