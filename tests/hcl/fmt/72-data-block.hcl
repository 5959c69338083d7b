data "http" "keys" {
  url = "https://github.com/example.keys"
  request_headers={
    Accept = "text/plain"
  }
}

data "null" "x" {
  input="hello"
}

locals {
  keys = split("\n", trimspace(data.http.keys.body))
}
