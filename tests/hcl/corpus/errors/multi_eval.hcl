a = 1 + true
b = {}.missing
c = undefined_var
