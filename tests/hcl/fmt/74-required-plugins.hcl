packer {
  required_version = ">= 1.7.0, < 2.0.0"
  required_plugins {
    hcloud = {
      version = ">= 1.6.0"
      source = "github.com/hetznercloud/hcloud"
    }
    ansible={
      version=">= 1.1.0"
      source="github.com/hashicorp/ansible"
    }
  }
}
