a = {a = null, b = [null, {c = null}], d = {}}
