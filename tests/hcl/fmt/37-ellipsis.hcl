a = max(var.list...)
b = {for k, v in var.m: v => k...}
