locals {
  a = [1,2,3,]
  b = {x=1,y=2,}
  c = concat([1], [2],)
  d = [
    "a",
    "b",
  ]
}
