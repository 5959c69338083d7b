locals {
  t=true
  f = false
  n   = null
  e = ""
  l = []
  m = {}
}
