locals {
  total = (
    var.a +
    var.b
  )
  ok = (var.x  
  && var.y)
}
