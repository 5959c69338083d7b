variable "location" {
  type=string
  default = "fsn1"
  description="Hetzner location."
  validation {
    condition = contains(["fsn1","nbg1","hel1","ash","hil","sin"], var.location)
    error_message = "The location must be a Hetzner location."
  }
}

variable "server_type" {
  type = string
  validation {
    condition     = can(regex("^c[apx]+[0-9]+$", var.server_type))
    error_message="Server type must look like cx22."
  }
}
