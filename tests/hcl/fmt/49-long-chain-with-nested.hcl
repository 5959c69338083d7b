a = 1
b = {
c = 2
dd = 3
}
eee = 4
f = [
1
]
