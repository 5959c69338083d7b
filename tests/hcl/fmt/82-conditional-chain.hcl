locals {
  size = var.env=="prod" ? "cx42" : var.env == "staging" ? "cx32" : "cx22"
  arch = startswith(var.server_type,"cax")?"arm":"x86"
  n=var.x>10&&var.y<5||!var.z?1:0
}
