a = 1
# interrupt
bbb = 2
// again
cc = 3
