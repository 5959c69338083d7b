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
l {
  v = 3
}
l {
  v = 4
}
