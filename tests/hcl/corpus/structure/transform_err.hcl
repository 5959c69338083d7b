n = "nan"
s = "x"
