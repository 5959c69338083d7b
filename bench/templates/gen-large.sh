#!/usr/bin/env bash
# gen-large.sh N: writes to stdout a Packer template that Packer 1.6.6 and
# kiln both validate: N variables, N locals, N hcloud sources, and a build of
# the first four sources with N shell provisioners (each runs for every
# source) and a manifest post-processor. N=200 is ~150 KB, a very large
# real-world template.
set -euo pipefail
n=${1:-200}
awk -v n="$n" 'BEGIN {
  print "packer {\n  required_version = \">= 1.6.0\"\n}\n"
  print "variable \"hcloud_token\" {\n  type      = string\n  sensitive = true\n  default   = env(\"HCLOUD_TOKEN\")\n}\n"
  for (i = 0; i < n; i++) {
    printf "variable \"name_%d\" {\n  type        = string\n  default     = \"server-%d\"\n  description = \"Name of server %d.\"\n}\n\n", i, i, i
  }
  print "locals {"
  for (i = 0; i < n; i++) {
    printf "  label_%d = lower(format(\"%%s-%%03d\", upper(var.name_%d), %d))\n", i, i, i
  }
  print "  locations = [\"fsn1\", \"nbg1\", \"hel1\"]"
  print "}\n"
  for (i = 0; i < n; i++) {
    printf "source \"hcloud\" \"s%d\" {\n", i
    printf "  token         = var.hcloud_token\n"
    printf "  image         = \"debian-12\"\n"
    printf "  location      = local.locations[%d %% 3]\n", i
    printf "  server_type   = \"%s\"\n", (i % 2 ? "cax11" : "cx22")
    printf "  server_name   = local.label_%d\n", i
    printf "  ssh_username  = \"root\"\n"
    printf "  snapshot_name = \"${var.name_%d}-${replace(local.label_%d, \"-\", \"_\")}\"\n", i, i
    printf "  snapshot_labels = {\n    index = \"%d\"\n    name  = var.name_%d\n    kind  = %d > %d ? \"upper\" : \"lower\"\n  }\n", i, i, i, n / 2
    printf "}\n\n"
  }
  print "build {"
  printf "  sources = ["
  for (i = 0; i < n && i < 4; i++) printf "%s\"source.hcloud.s%d\"", (i ? ", " : ""), i
  print "]\n"
  for (i = 0; i < n; i++) {
    printf "  provisioner \"shell\" {\n"
    printf "    inline           = [\"echo %d\", \"echo ${var.name_%d}\"]\n", i, i
    printf "    environment_vars = [\"LABEL=${local.label_%d}\", \"INDEX=%d\"]\n", i, i
    printf "  }\n\n"
  }
  print "  post-processor \"manifest\" {\n    output = \"manifest.json\"\n  }\n}"
}'
