settings {
  x = 1
}
settings {
  x = 2
}
