# The acceptance points of the template issue that the other scripts do not
# cover: -only/-except filtering what is validated, PKR_VAR_* values and
# their precedence, required_version and required_plugins on validate,
# hcp_packer_registry, unsupported data sources, sensitive values, "did you
# mean" hints, and -machine-readable before fmt.
source "$(dirname "$0")/lib.sh"

# One build of two sources; the hcloud one is incomplete, so validating it
# fails and filtering it out must make the template valid.
cat > f.pkr.hcl <<'HCL'
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
source "hcloud" "h" {
  image = "debian-12"
}
build {
  name    = "b"
  sources = ["null.a", "hcloud.h"]
}
HCL
check_contains all-sources 1 "* server type is required" "$KILN" validate f.pkr.hcl
check except 0 "The configuration is valid." "$KILN" validate -except b.hcloud.h f.pkr.hcl
check except-glob 0 "The configuration is valid." "$KILN" validate -except 'b.hcl*' f.pkr.hcl
check only 0 "The configuration is valid." "$KILN" validate -only b.null.a f.pkr.hcl
check_contains only-other 1 "* server type is required" "$KILN" validate --only=b.hcloud.h f.pkr.hcl
check_contains except-other 1 "* server type is required" "$KILN" validate -except b.null.a f.pkr.hcl

# PKR_VAR_* sets a variable (the validation rule sees it); -var wins over it.
check_contains pkr-var 1 "Too big." env PKR_VAR_n=12 "$KILN" validate -only b.null.a f.pkr.hcl
check_contains pkr-var-kind 1 "Error: Invalid value for env variable" \
  env PKR_VAR_n=12 "$KILN" validate -only b.null.a f.pkr.hcl
check pkr-var-ok 0 "The configuration is valid." env PKR_VAR_n=3 "$KILN" validate -only b.null.a f.pkr.hcl
check var-beats-pkr-var 0 "The configuration is valid." \
  env PKR_VAR_n=12 "$KILN" validate -var n=2 -only b.null.a f.pkr.hcl
printf 'n = 2\n' > ok.pkrvars.hcl
check var-file-beats-pkr-var 0 "The configuration is valid." \
  env PKR_VAR_n=12 "$KILN" validate -var-file ok.pkrvars.hcl -only b.null.a f.pkr.hcl

# required_version is checked against the Packer version kiln follows.
mkdir rv-old rv-new
printf 'packer {\n  required_version = "< 1.7.0"\n}\nsource "null" "a" {\n  communicator = "none"\n}\nbuild {\n  sources = ["null.a"]\n}\n' > rv-old/t.pkr.hcl
sed 's/< 1.7.0/>= 1.7.0, < 2.0.0/' rv-old/t.pkr.hcl > rv-new/t.pkr.hcl
check_contains required-version-old 1 'Error: Unsupported Packer Core version

  on rv-old/t.pkr.hcl line 2, in packer:
   2:   required_version = "< 1.7.0"' "$KILN" validate rv-old
check required-version-new 0 "The configuration is valid." "$KILN" validate rv-new

# required_plugins: the built-in hcloud plugin satisfies the seed's
# requirement (tests/template/validate.sh); another plugin is an error
# that names it.
cat > rp.pkr.hcl <<'HCL'
packer {
  required_plugins {
    amazon = {
      version = ">= 1.0.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}
source "null" "a" {
  communicator = "none"
}
build {
  sources = ["null.a"]
}
HCL
check_contains required-plugins-other 1 "Error: Missing plugins" "$KILN" validate rp.pkr.hcl
check_contains required-plugins-names 1 "github.com/hashicorp/amazon >= 1.0.0" "$KILN" validate rp.pkr.hcl

# hcp_packer_registry is accepted with a warning.
cat > hcp.pkr.hcl <<'HCL'
source "null" "a" {
  communicator = "none"
}
build {
  hcp_packer_registry {
    bucket_name = "nixos"
  }
  sources = ["null.a"]
}
HCL
check hcp-registry 0 'Warning: HCP Packer registry not supported

  on hcp.pkr.hcl line 5, in build:
   5:   hcp_packer_registry {

kiln does not publish build metadata to HCP Packer; this hcp_packer_registry
block is accepted and ignored.


The configuration is valid.' "$KILN" validate hcp.pkr.hcl

# A data source kiln does not have is a clear error naming the type.
cat > ds.pkr.hcl <<'HCL'
data "amazon-ami" "x" {
  most_recent = true
}
source "null" "a" {
  communicator = "none"
}
build {
  sources = ["null.a"]
}
HCL
check_contains data-unsupported 1 'Error: Unknown data type amazon-ami

  on ds.pkr.hcl line 1, in data "amazon-ami" "x":' "$KILN" validate ds.pkr.hcl

# Sensitive values print as <sensitive> in console and inspect; as Packer's
# secret filter does, every occurrence of the value in a string is masked.
cat > sens.pkr.hcl <<'HCL'
variable "token" {
  type      = string
  default   = "s3cr3t-value"
  sensitive = true
}
locals {
  header = "Bearer ${var.token}"
}
HCL
STDIN='var.token' check sensitive-console 0 '<sensitive>' "$KILN" console sens.pkr.hcl
STDIN='local.header' check sensitive-console-derived 0 'Bearer <sensitive>' "$KILN" console sens.pkr.hcl
check_contains sensitive-inspect 0 'var.token: "<sensitive>"' "$KILN" inspect sens.pkr.hcl
got=$("$KILN" inspect sens.pkr.hcl 2>&1; printf 'var.token\nlocal.header\n' | "$KILN" console sens.pkr.hcl 2>&1)
if [[ "$got" == *s3cr3t* ]]; then echo "FAIL sensitive-never-printed"; else echo "PASS sensitive-never-printed"; fi

# "Did you mean" hints: arguments (validate.sh), block types, functions.
printf 'sourc "null" "a" {\n  communicator = "none"\n}\n' > bt.pkr.hcl
check_contains did-you-mean-block 1 'Blocks of type "sourc" are not expected here. Did you mean "source"?' \
  "$KILN" validate bt.pkr.hcl
printf 'source "null" "a" {\n  communicator = uper("none")\n}\nbuild {\n  sources = ["null.a"]\n}\n' > fn.pkr.hcl
check_contains did-you-mean-function 1 'There is no function named "uper". Did you mean "upper"?' \
  "$KILN" validate fn.pkr.hcl
STDIN='lenght([1])' check_contains did-you-mean-console 1 'Did you mean "length"?' \
  "$KILN" console sens.pkr.hcl

# -machine-readable is a global flag: fmt must not take it for a path.
printf 'a=1\n' > m.pkr.hcl
check machine-readable-fmt-check 3 "m.pkr.hcl" "$KILN" -machine-readable fmt -check m.pkr.hcl
STDIN=$'a=1\n' check machine-readable-fmt-stdin 0 "a = 1" "$KILN" -machine-readable fmt -
check machine-readable-fmt-write 0 "m.pkr.hcl" "$KILN" --machine-readable fmt m.pkr.hcl
check machine-readable-fmt-written 0 "a = 1" cat m.pkr.hcl
