cfg {
  a = { x = [] }
  step {
  }
  step {
    run = 1
    extra = true
  }
  step {
    run = "3"
  }
}
cfg {
}
