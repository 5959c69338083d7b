a = 1 + 2 * 3 - 4 / 5 % 6
b = !true || false && 1 < 2 == (3 >= 4)
c = "x ${var.a} %{ if var.n > 1 }y%{ else }z%{ endif } %{ for i, v in list ~} ${i}=${v} %{~ endfor }"
d = [for k, v in { a = 1, b = 2 } : k => v... if v > 0]
e = list[*].x
f = var.a.b[0].c.*.d
g = <<-EOT
    heredoc ${var.a}
  EOT
h = { (var.a) = 1, "k" : 2, b = [1, 2, 3,] }
i = f(1, 2, list...)
j = 0.1 + 0.2e10 - 1e-3
