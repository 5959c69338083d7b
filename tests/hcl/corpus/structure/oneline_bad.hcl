settings { x = 1, y = [] }
