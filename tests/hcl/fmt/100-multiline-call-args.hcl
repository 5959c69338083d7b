locals {
  joined = join(",",
    [
      "a",
      "b",
    ]
  )
  merged = merge(
  var.default_labels,
    {
      extra = "1"
    },
      var.more_labels
  )
  x = format("%s-%s",
    var.a, var.b)
}
