a = [greeting, list]
