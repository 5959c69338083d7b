svc "web" "a" {
  port = 80
  tag {
    v = "z"
  }
  tag {
    v = "y"
  }
}
svc "web" "b" {
  port = "81"
}
svc "db" "c" {
}
