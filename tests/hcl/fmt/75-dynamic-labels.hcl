source "hcloud" "d" {
  dynamic "image_filter" {
    for_each = var.filters
    iterator=f
    content {
      with_selector = f.value.selector
      most_recent   =   true
    }
  }
}
