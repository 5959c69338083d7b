locals {
timestamp = regex_replace(timestamp(), "[- TZ:]", "")
name = "img-${local.timestamp}"
list = ["a", "b"]
map = {
a = 1
}
}
