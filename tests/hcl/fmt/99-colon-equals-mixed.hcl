locals {
  o = {
    a: 1
    bb = 2
    "c": 3,
    ddd = 4,
  }
  p = {a:1,b:2}
}
