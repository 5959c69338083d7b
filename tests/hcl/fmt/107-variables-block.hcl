variables {
  foo="bar"
  num = 1
  list   = [1,2]
}
