x = {
  a = [1,
  2]
  b = func(1,
    2)
}
