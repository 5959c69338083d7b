name  = "demo"
count = 3

settings {
  x = { nested = [1, 2] }
  y = ["a", 1]
}

item {
  v = 1
}
item {
  v = "two"
}

res "server" "web" {
  v = "w"
}
res "server" "db" {
  v = "d"
}
res "volume" "data" {
  v = 10
}

tag {
  k = "b"
}
tag {
  k = "a"
}
tag {
  k = "a"
}
