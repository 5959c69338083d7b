locals {
  a = "tab\there"
  b="quote \" inside"
  c = "unicode \u00e9 \U0001F600"
  d = "dollar $${not_interp} and %%{not_directive}"
  e   = "backslash \\ end"
  f = "nl\nand\rcr"
}
