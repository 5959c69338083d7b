a = f(null)
