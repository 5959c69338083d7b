hcloud_token = "abc"
server_type="cx22"
location   =   "nbg1"
image_name = "nixos-${var.x}"
