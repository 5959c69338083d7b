name  = ["not", "a", "string"]
count = "three"
settings {
  y = [[1]]
}
