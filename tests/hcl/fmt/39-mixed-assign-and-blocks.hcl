a = 1
block {
}
bb = 2
ccc = {
x = 1
}
dddd = 4
