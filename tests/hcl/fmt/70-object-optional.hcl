variable "settings" {
  type = object({
    name=string
    size = optional(number, 20)
    tags  = optional(map(string), {})
    disks = list(object({ size=number, label = optional(string) }))
  })
  default = {
    name = "x"
    disks=[{size=10}]
  }
}
