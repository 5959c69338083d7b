res "only_one" {
  v = "1"
}
res "a" "b" "c" {
  v = "2"
}
settings "extra" {
}
