a = [for x in list: x + other]
