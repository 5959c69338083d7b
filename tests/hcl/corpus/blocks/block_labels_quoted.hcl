svc "we\"b" "a\\b" {
  port = 1
}
svc "é" "日本" {
  port = 2
}
