a = f("nope")
