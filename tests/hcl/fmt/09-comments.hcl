# hash comment
// slash comment
/* block
   comment */
a = 1 # trailing
bbb = 2 // trailing two
c = 3 /* inline block */
block {
  # inside
    x = 1    # x
  yy = 22      # yy
}
