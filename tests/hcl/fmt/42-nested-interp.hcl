a = "${format("%s", "${var.x}-${var.y}")}"
b = "${var.a}${var.b}"
c = "x${var.a} ${var.b}y"
