variable "packages" {
  default = [
    "curl",
    "git",
    "htop", "jq",
    "vim",
    "tmux"
  ]
}
variable "ports" {
  default = [22,80,443,
    8080,
  9090]
}
