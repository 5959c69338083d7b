#!/usr/bin/env python3
"""Records expected outcomes of HCL function calls from an oracle.

Usage: oracle.py packer CASES.txt > OUT.inc   (Debian's Packer 1.6.6 console)
       oracle.py cty CASES.txt > OUT.inc      (HCL + go-cty from Debian's Go
                                               packages: tools/hcleval.go)
The recorded tables are committed; the tests never run an oracle.
Oracles per table: packer for numeric_string, unicode, collection, encoding,
filesystem (run inside testdata/fs), crypto, network, yaml; cty for regex,
datetime, conversion. Rows where Packer 1.16 differs from the oracle are
removed from the .txt and kept, with the reason, in the *_test.cc files.
Each case line is an expression; the result is a C++ table row
{"expr", "json-or-ERR: detail"}. Lines starting with # are skipped.
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def cstr(s):
    return json.dumps(s, ensure_ascii=False)


def packer(expr):
    p = subprocess.run(["packer", "console", "-config-type=hcl2"],
                       input="jsonencode(" + expr + ")\n", capture_output=True,
                       text=True, timeout=60)
    out = p.stdout.strip()
    err = p.stderr
    if "Error:" in err or "Error:" in out:
        text = err if "Error:" in err else out
        m = re.search(r"\(source code not available\)\n\n(.*?)(\n\n|$)", text, re.S)
        detail = m.group(1) if m else text.strip()
        return "ERR: " + " ".join(detail.split())
    return out


def cty(path):
    here = os.path.dirname(os.path.abspath(__file__))
    exe = os.path.join(tempfile.gettempdir(), "kiln-hcleval")
    env = dict(os.environ, GOPATH="/usr/share/gocode", GO111MODULE="off")
    subprocess.run(["go", "build", "-o", exe, os.path.join(here, "tools", "hcleval.go")],
                   check=True, env=env)
    with open(path, encoding="utf-8") as f:
        sys.stdout.write(subprocess.run([exe], stdin=f, capture_output=True, text=True,
                                        check=True).stdout)


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "cty":
        cty(path)
        return
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        res = packer(line)
        print("    {%s, %s}," % (cstr(line), cstr(res)))


if __name__ == "__main__":
    main()
