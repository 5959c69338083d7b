x = "given"
