x {
  v = "a"
}
x {
  v = "b"
}
x {
  w = 1
}
