a = x.b[0]
