# kiln validate: the seed template, errors (Packer's texts), flags, exit codes.
source "$(dirname "$0")/lib.sh"
seed=$root/../shared/seed/template
mkdir -p home/.ssh seed && cp "$seed"/* seed/

# Without the public key file the error names the file and the line.
export HOME=$work/home HCLOUD_TOKEN=test-token
# As with Packer, the template is validated from its own directory: it reads
# "${path.root}/setup-nixos.sh" and relative paths resolve against path.root.
cd seed
check_contains seed-missing-key 1 "on nixos-hetzner.pkr.hcl line 27, in locals:" \
  "$KILN" validate nixos-hetzner.pkr.hcl
check_contains seed-missing-key-file 1 "$work/home/.ssh/hetzner-nixos.pub" \
  "$KILN" validate nixos-hetzner.pkr.hcl
echo "ssh-ed25519 AAAA kiln" > ../home/.ssh/hetzner-nixos.pub
check seed-file 0 "The configuration is valid." "$KILN" validate nixos-hetzner.pkr.hcl
check seed-dir 0 "The configuration is valid." "$KILN" validate .
check seed-syntax-only 0 "Syntax-only check passed. Everything looks okay." \
  "$KILN" validate -syntax-only .
check seed-double-dash 0 "The configuration is valid." "$KILN" validate --syntax-only=false .
check_contains seed-inspect 0 'var.hcloud_token: "<sensitive>"' "$KILN" inspect .
check_contains seed-inspect-key 0 'local.ssh_public_key: "ssh-ed25519 AAAA kiln\n"' "$KILN" inspect .
# A value equal to the sensitive token is never printed.
check_contains seed-secret 0 'local.ssh_public_key: "<sensitive>"' \
  "$KILN" inspect -var ssh_public_key=test-token .
cd ..

cat > v.pkr.hcl <<'HCL'
variable "n" {
  type    = number
  default = 1
  validation {
    condition     = var.n < 10
    error_message = "Too big."
  }
}
source "null" "a" {
  communicator = "none"
}
build {
  name    = "b"
  sources = ["null.a"]
  provisioner "shell-local" {
    inline = ["echo ${var.n}"]
  }
}
HCL
check var-ok 0 "The configuration is valid." "$KILN" validate -var n=3 v.pkr.hcl
check var-eq-form 0 "The configuration is valid." "$KILN" validate -var=n=3 v.pkr.hcl
check var-double-dash 0 "The configuration is valid." "$KILN" validate --var n=3 v.pkr.hcl
check var-validation 1 'Error: Invalid value for cmd variable

  on  line 0:
  (source code not available)

Too big.

This was checked by the validation rule at v.pkr.hcl:4,3-13.

' "$KILN" validate -var n=12 v.pkr.hcl
check var-undeclared 1 'Error: Undefined -var variable

A "zz" variable was passed in the command line but was not found in known
variables. To declare variable "zz", place this block in one of your .pkr files,
such as variables.pkr.hcl

' "$KILN" validate -var zz=1 v.pkr.hcl
PKR_VAR_n=abc check env-type 1 'Error: Invalid value for variable

  on  line 0:
  (source code not available)

The value for n is not compatible with the variable'"'"'s type constraint: a number
is required.

' env PKR_VAR_n=abc "$KILN" validate v.pkr.hcl
printf 'zz = 1\n' > u.pkrvars.hcl
check varfile-undeclared 0 'Warning: Undefined variable

A "zz" variable was set but was not found in known variables. To declare
variable "zz", place this block in one of your .pkr files, such as
variables.pkr.hcl


The configuration is valid.' "$KILN" validate -var-file u.pkrvars.hcl v.pkr.hcl
check varfile-undeclared-quiet 0 "The configuration is valid." \
  "$KILN" validate -no-warn-undeclared-var -var-file=u.pkrvars.hcl v.pkr.hcl
check only-glob 0 "The configuration is valid." "$KILN" validate -only 'b.*' v.pkr.hcl
check evaluate-datasources 0 "The configuration is valid." \
  "$KILN" validate -evaluate-datasources v.pkr.hcl
check_contains bad-flag 1 "flag provided but not defined: -bogus" "$KILN" validate -bogus v.pkr.hcl
check_contains no-args 1 "Usage: kiln validate [options] TEMPLATE" "$KILN" validate
check_contains help 0 "Usage: kiln validate [options] TEMPLATE" "$KILN" validate -h
check_contains missing-eq 1 "invalid value \"n\" for flag -var: No '=' value in arg: n" \
  "$KILN" validate -var n v.pkr.hcl

cat > s.pkr.hcl <<'HCL'
source "hcloud" "x" {
  image    = "debian-12"
  locaton  = "nbg1"
}
build {
  sources = ["source.hcloud.x"]
}
HCL
check unknown-attr 1 'Error: Unsupported argument

  on s.pkr.hcl line 3, in source "hcloud" "x":
   3:   locaton  = "nbg1"

An argument named "locaton" is not expected here. Did you mean "location"?

' "$KILN" validate s.pkr.hcl
sed -i 's/locaton/location/' s.pkr.hcl
env -u HCLOUD_TOKEN "$KILN" validate s.pkr.hcl >out.txt
want='Error: 3 error(s) occurred:

* An ssh_username must be specified
  Note: some builders used to default ssh_username to "root".
* token for auth must be specified
* server type is required

  on s.pkr.hcl line 1, in source "hcloud" "x":
   1: source "hcloud" "x" {
'
if [ "$(cat out.txt)" = "$(printf '%s' "$want")" ]; then echo "PASS missing-required"; else
  echo "FAIL missing-required"; diff <(echo "$want") out.txt | sed 's/^/    /'; fi

cat > p.pkr.hcl <<'HCL'
source "null" "a" { communicator = "none" }
build {
  sources = ["null.a"]
  post-processor "manifest" {
    custom_data = ["x"]
  }
}
HCL
check wrong-type 1 'Error: Failed preparing post-processor-block "manifest" ""

  on p.pkr.hcl line 4, in build:
   4:   post-processor "manifest" {

p.pkr.hcl:5,19-24: Incorrect attribute value type; Inappropriate value for
attribute "custom_data": map of string required.

' "$KILN" validate p.pkr.hcl

cat > j.pkr.json <<'JSON'
{
  "source": {"null": {"a": {"communicator": "none"}}},
  "build": {"sources": ["source.null.a"]}
}
JSON
check json-template 0 "The configuration is valid." "$KILN" validate j.pkr.json
check_contains legacy-json 1 "Error: Failed to parse file as legacy JSON template" \
  "$KILN" validate template.json
mkdir -p empty
check_contains empty-dir 1 "Error: Could not find any config file in empty" "$KILN" validate empty
