a-b = 1
a = a-b
