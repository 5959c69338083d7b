svc web a {
  port = 1
}
