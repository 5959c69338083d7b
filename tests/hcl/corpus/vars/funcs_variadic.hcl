a = join3("x", 1, 2, 3)
