block "label" "two" {
  nested { a = 1 }
  inner "x" {
    b = "c"
  }
}
one_line { x = 1 }
