rule {
  n = {a = 1}
}
rule {
  n = {a = "x"}
}
