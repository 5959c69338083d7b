nam = "typo"
colour = "red"
sett {
}
item {
  v    = 1
  nope = 2
}
