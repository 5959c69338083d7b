tags = {
name = "x"
  longer_key = "y"
    "quoted key" = 3
}
inline = {a=1,b=2}
empty = {}
empty_spaced = {   }
