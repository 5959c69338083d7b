short = 1
a_much_longer_name = 2

x = 3
yy = 4
# comment breaks
zzz = 5
