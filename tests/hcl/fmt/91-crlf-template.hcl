variable "a" {
  default = "x"
}

locals {
  b=1
  cc = 2
}
