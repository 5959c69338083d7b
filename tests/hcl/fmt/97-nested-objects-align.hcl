locals {
  config = {
    server = {
      type = "cx22"
      location="fsn1"
      image_id = 12345
    }
    network = {
      ip_range="10.0.0.0/16"
      zone = "eu-central"
    }
    short = 1
    much_longer_key = 2
  }
}
