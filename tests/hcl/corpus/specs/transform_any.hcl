a = {x = [1, "<a&b>"], y = null}
