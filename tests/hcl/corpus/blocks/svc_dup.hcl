svc "web" "a" {
  port = 1
}
svc "web" "a" {
  port = 2
}
svc "web" {
  port = 3
}
