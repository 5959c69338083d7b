a = <<eot
lower
eot
