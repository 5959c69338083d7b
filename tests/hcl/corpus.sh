#!/usr/bin/env bash
# Differential corpus: runs every case in tests/hcl/corpus/ through
# HashiCorp's hcldec (build/go/hcldec, the oracle) and `KILN hcldec`, and
# compares exit codes, stdout byte for byte and, for diagnostics, the set of
# (severity, summary, subject range) from --diags=json.
#
# Usage: tests/hcl/corpus.sh KILN [FILTER]
#   KILN    the kiln binary; "--go-only" checks the corpus against the
#           oracle alone (every case must run and be deterministic).
#   FILTER  optional substring: only cases whose name contains it.
#
# Case layout (see tests/hcl/corpus/README.md):
#   <group>/<name>.hcl | <name>.json   one case; the input file
#   <name>.hcldec                      its spec (else <group>/default.hcldec)
#   <name>.args                        extra hcldec arguments, one a line
#                                      (else <group>/default.args, if any)
#   <group>/<name>.list                one case per non-blank, non-# line:
#                                      the input is "a = <line>\n"
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
if [ $# -lt 1 ]; then
  echo "usage: $0 KILN|--go-only [FILTER]" >&2
  exit 2
fi
KILN=$1
FILTER=${2:-}
GO_HCLDEC=${GO_HCLDEC:-$ROOT/build/go/hcldec}
if [ ! -x "$GO_HCLDEC" ]; then
  "$ROOT/scripts/build-go-tools.sh" "$ROOT/build/go" || exit 2
fi
if [ "$KILN" != "--go-only" ]; then
  KILN=$(cd "$(dirname "$KILN")" && pwd)/$(basename "$KILN")
fi
exec python3 - "$HERE/corpus" "$GO_HCLDEC" "$KILN" "$FILTER" <<'PY'
import difflib, json, os, shutil, subprocess, sys, tempfile

corpus, go_bin, kiln, filt = sys.argv[1:5]
go_only = kiln == "--go-only"


def read_args(path):
    if not os.path.exists(path):
        return None
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            out.append(line)
    return out


TMP = tempfile.mkdtemp(prefix="kiln-corpus-")


def cases():
    """Yields (name, cwd, spec, args, input files) in a stable order."""
    tmp = TMP
    for group in sorted(os.listdir(corpus)):
        gdir = os.path.join(corpus, group)
        if not os.path.isdir(gdir):
            continue
        default_spec = os.path.join(gdir, "default.hcldec")
        default_args = read_args(os.path.join(gdir, "default.args")) or []
        for fn in sorted(os.listdir(gdir)):
            base, ext = os.path.splitext(fn)
            if fn.startswith("default.") or ext not in (".hcl", ".json", ".list"):
                continue
            if "." in base:  # name.2.hcl: an extra input named in an .args file
                continue
            spec = os.path.join(gdir, base + ".hcldec")
            if not os.path.exists(spec):
                spec = default_spec
            args = read_args(os.path.join(gdir, base + ".args"))
            if args is None:
                args = default_args
            if ext != ".list":
                inputs = [fn] if not any(a[:1] in ("@", "<") for a in args) else []
                yield f"{group}/{base}", gdir, spec, args, inputs
                continue
            ldir = os.path.join(tmp, group, base)
            os.makedirs(ldir, exist_ok=True)
            for n, line in enumerate(open(os.path.join(gdir, fn), encoding="utf-8"), 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                name = f"{base}_{n}.hcl"
                with open(os.path.join(ldir, name), "w", encoding="utf-8") as f:
                    f.write(f"a = {line}\n")
                yield f"{group}/{base}:{n}: {line}", ldir, spec, args, [name]


def run(binary, prefix, cwd, spec, args, inputs):
    argv = [binary] + prefix + ["--spec=" + os.path.relpath(spec, cwd), "--diags=json"]
    stdin = None
    for a in args:
        if a.startswith("@"):  # an input file, relative to the case's folder
            argv.append(a[1:])
        elif a.startswith("<"):  # stdin from a file
            stdin = open(os.path.join(cwd, a[1:]), "rb")
        else:
            argv.append(a)
    argv += inputs
    try:
        p = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=60,
                           stdin=stdin if stdin else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return 124, b"", b"timeout"
    return p.returncode, p.stdout, p.stderr


def diag_set(stderr):
    """The set of (severity, summary, subject) of a --diags=json stream, or
    the raw text when it is not one."""
    text = stderr.decode("utf-8", "replace")
    try:
        doc = json.loads(text)
        return sorted(
            json.dumps([d.get("severity"), d.get("summary"), d.get("subject")], sort_keys=True)
            for d in doc["diagnostics"])
    except Exception:
        return [text]


passed = failed = 0
for name, cwd, spec, args, inputs in cases():
    if filt and filt not in name:
        continue
    want = run(go_bin, [], cwd, spec, args, inputs)
    if go_only:
        again = run(go_bin, [], cwd, spec, args, inputs)
        got = again
        problems = []
        if b"panic:" in want[2] or b"goroutine " in want[2]:
            problems.append("the oracle panics on this case")
        if want[0] not in (0, 1, 2):
            problems.append(f"oracle exit code {want[0]}: {want[2].decode(errors='replace')}")
        if want[1] != again[1] or diag_set(want[2]) != diag_set(again[2]):
            problems.append("oracle output is not deterministic")
        if os.environ.get("CORPUS_SHOW"):
            print(f"{name} => {want[0]} {want[1].decode(errors='replace').strip()[:200]}")
            for d in diag_set(want[2]):
                print("      " + d[:200])
    else:
        got = run(kiln, ["hcldec"], cwd, spec, args, inputs)
        problems = []
        if want[0] != got[0]:
            problems.append(f"exit code: want {want[0]}, got {got[0]}")
        if want[1] != got[1]:
            problems.append("stdout differs:\n" + "".join(difflib.unified_diff(
                want[1].decode(errors="replace").splitlines(True),
                got[1].decode(errors="replace").splitlines(True), "go", "kiln")))
        wd, gd = diag_set(want[2]), diag_set(got[2])
        if wd != gd:
            problems.append("diagnostics differ (severity, summary, subject):\n" + "".join(
                difflib.unified_diff([l + "\n" for l in wd], [l + "\n" for l in gd], "go", "kiln")))
    if problems:
        failed += 1
        print(f"FAIL {name}")
        for p in problems:
            print("    " + p.replace("\n", "\n    ").rstrip())
    else:
        passed += 1
shutil.rmtree(TMP, ignore_errors=True)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
