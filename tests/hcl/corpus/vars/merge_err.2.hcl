b = "x"
c = 3
