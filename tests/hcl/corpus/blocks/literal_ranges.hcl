l {
}
l {
}
s {
  x = 1
}
s {
  x = 2
}
u {
  x = 1
}
u {
  x = [1]
}
