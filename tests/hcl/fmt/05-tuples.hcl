list = [1,2,3]
multi = [
"a",
    "b",
  ]
nested = [[1,2],[3,[4,5]]]
empty = [ ]
