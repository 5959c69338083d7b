block {
  a = 1
  # last comment
}
list = [
  1, # one
  22, # twenty two
]
