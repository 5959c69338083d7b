a = 1 +
b = "unclosed
c = [1, 2
