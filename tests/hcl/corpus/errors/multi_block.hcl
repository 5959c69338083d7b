b {
  x = "one"
}
b {
  x = 2
  y = "ok"
  z = 3
}
b {
  x = true
  y = []
}
