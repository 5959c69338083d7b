a = 1+2*3-4/5%6
b = x==y&&z!=w||!q
c = a<b
d = a>=b
e = a <= b ? c : d
f = !true
g = ! false
h = -1
i = 5 - -3
j = (-x) * -y
k = [-1, - 2]
l = 3-1
m = foo(-1, -2)
n = x > -1
o = a ? -1 : -2
