source "hcloud" "x" {
image = "debian-12"
  nested {
        deep {
  v = true
        }
    }
}
