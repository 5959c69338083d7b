source "null" "empty" {}
source "null" "spaced" {   }
build {
  sources = ["source.null.empty"]
  post-processor "manifest" {
  }
}
locals {}
