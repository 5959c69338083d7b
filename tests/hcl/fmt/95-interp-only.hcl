source "hcloud" "old" {
  image = "${var.image}"
  location = "${var.location}"
  labels = "${var.labels}"
  name = "${var.prefix}-${var.name}"
}
