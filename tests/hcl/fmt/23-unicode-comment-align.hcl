a = "äöü" # c1
bbbbbb = "x" # c2
c = "👨‍👩‍👧" # c3
