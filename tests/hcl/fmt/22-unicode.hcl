ключ = "значение"
a = 1
emoji = "👍🏽"
é = "e"
naïve_name = 2
x = 3
