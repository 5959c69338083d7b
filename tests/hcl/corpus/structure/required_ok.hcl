must = "yes"
b {
  x = 1
}
l {
  v = 1
}
l {
  v = 2
}
