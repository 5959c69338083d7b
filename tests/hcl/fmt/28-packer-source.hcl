packer {
required_plugins {
hcloud = {
version = ">= 1.0.0"
source = "github.com/hetznercloud/hcloud"
}
}
}
