source "hcloud" "full" {
  token          = var.hcloud_token
  endpoint = "https://api.hetzner.cloud/v1"
  poll_interval="500ms"
  image_filter {
    with_selector = ["os-flavor=ubuntu"]
    most_recent=true
  }
  location = "nbg1"
  server_type = "cpx11"
  server_name = "packer-${uuidv4()}"
  upgrade_server_type = "cpx21"
  user_data_file = "${path.root}/cloud-init.yaml"
  ssh_keys = [ "admin", "ci" ]
  rescue = "linux64"
  snapshot_labels = {
    os = "ubuntu"
    "built-by"="kiln"
    version=var.version
  }
  server_labels={purpose="build"}
  public_ipv4_disabled = false
  public_ipv6_disabled    = true
  networks = [ 1234,5678 ]
  ssh_timeout = "10m"
  ssh_keys_labels = {"a"="b"}
}
