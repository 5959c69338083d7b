a = {x = null, y = 1}
