# kiln console: piped lines, Packer's formatting (outputs of Packer 1.6.6).
source "$(dirname "$0")/lib.sh"
cat > a.pkr.hcl <<'HCL'
variable "n" {
  type    = list(string)
  default = ["a", "b"]
}
locals {
  l = "${var.n[0]}-x"
}
HCL
c() { local name=$1 want=$2; STDIN=$3 check "$name" 0 "$want" "$KILN" console a.pkr.hcl; }
c string 'a
b' '"a\nb"'
c int '1000000' '1e6'
c float '0.3333333333333333' '1/3'
c exp '1e+19' '1e19'
c small '1e-05' '0.00001'
c list '[
  1,
  "a",
]' '[1,"a"]'
c map '{
  "a" = 1
  "b c" = [
    true,
  ]
}' '{a=1, "b c"=[true]}'
c var '[
  "a",
  "b",
]' 'var.n'
c local 'a-x' 'local.l'
c path-root '.' 'path.root'
c last-line '4' '1+1
2+2'
c blank-last '' $'1+1\n\n'
c function 'A-B' 'upper(join("-", var.n))'
STDIN='var.nope' check error 1 'Error: Unsupported attribute

  on <console-input> line 1:
  (source code not available)

This object does not have an attribute named "nope".


' "$KILN" console a.pkr.hcl
STDIN='variables' check variables 0 '> input-variables:

var.n: "[\n  \"a\",\n  \"b\",\n]"

> local-variables:

local.l: "a-x"' "$KILN" console a.pkr.hcl
STDIN='1 + 2' check no-template 0 '3' "$KILN" console
STDIN='var.n[0]' check console-var 0 'z' "$KILN" console -var 'n=["z"]' a.pkr.hcl
