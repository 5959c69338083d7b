# Hetzner settings
hcloud_token="xyz"     # from the console
location = "fsn1"   // Falkenstein
server_type   =   "cx22"
/* the images to build */
images = {
  small = { type = "cx22" }   # smallest
  big = { type = "cx52"  }     # biggest
}
labels = { team = "infra", env = "prod" }
