s {
  a = 2
  b = "x"
}
s {
  a = 1
  b = "y"
}
s {
  a = 2
  b = "x"
}
