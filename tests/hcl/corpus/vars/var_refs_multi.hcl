a = items[*].name
b = m.k[0]["s"].t
