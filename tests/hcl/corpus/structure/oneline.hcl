settings { x = 1 }
item { v = true }
item {}
