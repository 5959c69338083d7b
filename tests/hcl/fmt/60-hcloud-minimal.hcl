source "hcloud" "base" {
token=var.hcloud_token
image="debian-12"
location   =    "fsn1"
server_type="cx22"
ssh_username = "root"
snapshot_name="base-${timestamp()}"
}

build {
sources=["source.hcloud.base"]
}
