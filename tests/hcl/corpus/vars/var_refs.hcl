a = [foo.bar, baz[0], qux["k"].z, 1]
