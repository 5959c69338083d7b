locals {
  a = 1 # one
  bbb = 2 # two
  cc = {
    x = 1 # inner
  }
  d = 4 # four
  eeeeee = 5 # five
}
