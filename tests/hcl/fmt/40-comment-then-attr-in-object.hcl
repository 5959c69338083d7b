obj = {
# leading
a = 1 # trailing a
bb = 2
// between
cccc = 3
}
