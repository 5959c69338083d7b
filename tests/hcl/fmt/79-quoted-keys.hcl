locals {
  labels = {
    "app.kubernetes.io/name" = "x"
    "a"="b"
    c = "d"
    (var.key) = "computed"
    "${var.prefix}-id" = 7
  }
}
