rule {
  n = 1
}
rule {
  n = "1"
}
rule {
  n = {a = 1}
}
