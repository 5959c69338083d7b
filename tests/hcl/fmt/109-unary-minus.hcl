locals {
  a = -1
  b = - 1
  c = 1 - -1
  d = [-1, - 2]
  e = -var.x
  f = abs(-3)
}
