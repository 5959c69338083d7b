item {
  v = first.v
}
other = nope
item {
  v = second["k"].v + third[0]
}
