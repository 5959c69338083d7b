variable "token" {
type = string
sensitive = true
default = null
description = "Hetzner Cloud token"
validation {
condition = length(var.token) == 64
error_message = "Must be 64 characters."
}
}
