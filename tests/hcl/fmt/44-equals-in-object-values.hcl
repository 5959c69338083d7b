a = {
k1 = "v"
k2 = { inner = 1 }
long_key_three = [1, 2]
k4 = func(a, b)
}
