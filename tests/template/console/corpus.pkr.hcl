# The template the console corpus evaluates against.
variable "s" {
  type    = string
  default = "hello"
}
variable "l" {
  type    = list(string)
  default = ["a", "b", "c"]
}
variable "m" {
  type    = map(number)
  default = { one = 1, two = 2, three = 3 }
}
variable "o" {
  type = object({ name = string, tags = list(string), n = number })
  default = { name = "x", tags = ["t1", "t2"], n = 42 }
}
variable "nested" {
  default = { a = [{ b = 1 }, { b = 2 }], c = { d = "e" } }
}
variable "untyped" {
  default = "u"
}
locals {
  greeting = "${var.s}, world"
  upper_l  = [for x in var.l : upper(x)]
  by_key   = { for k, v in var.m : k => v * 10 }
  objs     = [{ id = 1, name = "a" }, { id = 2, name = "b" }]
}
