a = [for x in list: x.y if x.z]
