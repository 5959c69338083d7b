source    "hcloud"   "a" {
}
source hcloud b {
}
build{
  source "source.hcloud.a" {
    name="a2"
  }
}
