hcloud_token="abc"
location = "fsn1"
server_type    = "cax11"
ssh_keys = ["me@laptop"]
labels = {
  env="dev"
  team = "infra"
}
nixos_channel="24.11"
