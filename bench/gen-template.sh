#!/usr/bin/env bash
# gen-template.sh N: writes a native-syntax HCL file of N `item` blocks to
# stdout. Each block exercises literals, arithmetic, templates with
# interpolation, a heredoc, tuples, objects, a for expression, a splat and
# a conditional: what a large Packer template is made of. N=1200 is ~1 MB.
set -euo pipefail
n=${1:-1200}
awk -v n="$n" 'BEGIN {
  for (i = 0; i < n; i++) {
    printf "item \"block_%d\" {\n", i
    printf "  id          = %d\n", i
    printf "  name        = \"item-${%d}-of-%d\"\n", i, n
    printf "  ratio       = %d / 7\n", i + 1
    printf "  big         = %d123456789012345678901234567890 * 3\n", i + 1
    printf "  enabled     = %d %% 3 == 0 && true || false\n", i
    printf "  tags        = [\"alpha\", \"beta\", \"gamma-%d\", \"delta\"]\n", i
    printf "  meta = {\n"
    printf "    owner = \"team-%d\"\n", i % 17
    printf "    size  = %d * 2 + 1\n", i
    printf "    on    = !false\n"
    printf "    \"quoted key\" = \"v\"\n"
    printf "  }\n"
    printf "  squares     = [for x in [1, 2, 3, 4, 5, 6] : x * x if x > 1]\n"
    printf "  by_name     = { for k, v in { a = 1, b = 2, c = 3 } : k => v + %d }\n", i
    printf "  splat       = [{ n = 1 }, { n = 2 }, { n = %d }][*].n\n", i
    printf "  cond        = %d > 1000 ? \"large\" : \"small\"\n", i
    printf "  tmpl        = \"%%{ for t in [\"x\", \"y\"] }${t}-%d %%{ endfor }\"\n", i
    printf "  text        = <<-EOT\n"
    printf "    first line of block %d\n", i
    printf "    second line ${%d + 1}\n", i
    printf "      indented line\n"
    printf "    EOT\n"
    printf "  # a comment\n"
    printf "  nested {\n"
    printf "    depth = 1\n"
    printf "    path  = \"/srv/%d/data\"\n", i
    printf "  }\n"
    printf "}\n\n"
  }
}'
