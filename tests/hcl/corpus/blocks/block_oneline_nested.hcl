svc "a" "b" { tag { v = "x" } }
