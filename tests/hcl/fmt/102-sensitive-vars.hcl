variable "hcloud_token" {
  type=string
  sensitive = true
  default = env("HCLOUD_TOKEN")
}
variable "password" {
  type = string
  sensitive=true
}
