svc "a" {
  port {
    n = 1
  }
  port {
    n = 2
  }
}
svc "b" {
}
