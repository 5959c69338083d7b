/*
 * Header comment for the template.
 */
variable "x" { # trailing on block
  /* inline */ type = string
  default = "a" /* after */
}

// line comment
# hash comment
locals {
  a = 1 /* mid */ + 2
  bb = 3 // trailing
  ccc = 4 # other trailing
}
