# kiln inspect: Packer's HCL2 inspect report (format verified with 1.6.6).
source "$(dirname "$0")/lib.sh"
cat > a.pkr.hcl <<'HCL'
variable "foo" {
  type      = string
  default   = "hunter2"
  sensitive = true
}
variable "n" {
  type    = list(string)
  default = ["a", "b"]
}
locals {
  a = "${var.foo}-y"
  b = upper("x")
}
source "null" "x" {
  communicator = "none"
}
build {
  name        = "bb"
  description = "desc"
  sources     = ["source.null.x"]
  provisioner "shell-local" {
    inline = ["echo"]
    name   = "p1"
  }
  provisioner "breakpoint" {}
  post-processor "manifest" {}
  post-processors {
    post-processor "checksum" {}
    post-processor "shell-local" { inline = ["x"] }
  }
}
build {
  sources = ["null.x"]
}
HCL
check inspect 0 'Packer Inspect: HCL2 mode

> input-variables:

var.foo: "<sensitive>"
var.n: "[\n  \"a\",\n  \"b\",\n]"

> local-variables:

local.a: "<sensitive>-y"
local.b: "X"

> builds:

  > bb:

  > Description: desc

    sources:

      null.x

    provisioners:

      shell-local.p1
      breakpoint

    post-processors:

      0:
        manifest

      1:
        checksum
        shell-local

  > <unnamed build 1>:

    sources:

      null.x

    provisioners:

      <no provisioner>

    post-processors:

      <no post-processor>
' "$KILN" inspect a.pkr.hcl
check_contains inspect-var 0 'var.n: "[\n  \"q\",\n]"' "$KILN" inspect -var 'n=["q"]' a.pkr.hcl
check_contains inspect-unknown 0 'var.u: "<unknown>"' bash -c \
  "printf 'variable \"u\" {\n  type = string\n}\n' > u.pkr.hcl && '$KILN' inspect u.pkr.hcl"
