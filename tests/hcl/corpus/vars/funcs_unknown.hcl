a = triple(1)
