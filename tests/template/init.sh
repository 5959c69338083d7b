# kiln init: required_plugins satisfied by the built-in hcloud plugin.
source "$(dirname "$0")/lib.sh"
cp "$root/../shared/seed/template/nixos-hetzner.pkr.hcl" seed.pkr.hcl
check seed 0 'Plugin github.com/hetznercloud/hcloud < 2.0.0 is satisfied by kiln'"'"'s built-in hcloud plugin (v1.7.2)' \
  "$KILN" init seed.pkr.hcl
cat > other.pkr.hcl <<'HCL'
packer {
  required_plugins {
    amazon = {
      version = ">= 1.0.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}
HCL
check_contains other 1 'github.com/hashicorp/amazon >= 1.0.0' "$KILN" init other.pkr.hcl
check_contains other-summary 1 'Error: Missing plugins' "$KILN" init other.pkr.hcl
cat > toonew.pkr.hcl <<'HCL'
packer {
  required_plugins {
    hcloud = {
      version = ">= 9.0.0"
      source  = "github.com/hetznercloud/hcloud"
    }
  }
}
HCL
check_contains too-new 1 'github.com/hetznercloud/hcloud >= 9.0.0' "$KILN" init toonew.pkr.hcl
echo 'source "null" "a" { communicator = "none" }' > none.pkr.hcl
check_contains none 0 'No plugins requirement found' "$KILN" init none.pkr.hcl
cat > ver.pkr.hcl <<'HCL'
packer {
  required_version = "< 1.7.0"
}
HCL
check_contains required-version 1 'Error: Unsupported Packer Core version' "$KILN" init ver.pkr.hcl
