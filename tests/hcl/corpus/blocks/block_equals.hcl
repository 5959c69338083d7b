cfg = {
  a = {}
}
