#!/usr/bin/env python3
"""Regenerates eval_oracle_cases.inc: runs HashiCorp's hcldec (the oracle)
on each expression below and records its result or its diagnostics, which
eval_test.cc then compares the evaluator against.

usage: eval_oracle_gen.py [path/to/hcldec] > src/hcl/eval_oracle_cases.inc
"""
import json
import os
import subprocess
import sys
import tempfile

HCLDEC = sys.argv[1] if len(sys.argv) > 1 else "/work/main/build/go/hcldec"

VARS = {
    "x": 1, "y": 2.5, "s": "hello", "l": [1, 2, 3], "e": [], "eo": {},
    "o": {"a": 1, "b": "two", "c": [True, False]}, "n": None, "t": True, "f": False,
    "objs": [{"name": "a", "v": 1}, {"name": "b", "v": 2}],
    "nested": {"inner": {"deep": "v"}}, "big": 12345678901234567890,
    "strs": ["a", "b", "a"],
}

FUNCS = """
function "first" {
  params = [a, b]
  result = a
}
function "rest" {
  params = [a]
  variadic_param = r
  result = r
}
"""

ATTR = 'attr {\n  name = "a"\n  type = any\n}\n'

# Unknown names must have at most one candidate within distance 2: hcl
# suggests the first it meets in Go's (random) map order.
# (mode, expression). mode: full = variables and functions; funcs =
# functions only; none = no context at all.
CASES = [
    # literals and operators
    ("none", "1"), ("none", "1.5e3"), ("none", '"a${1}b"'), ("none", "true"), ("none", "null"),
    ("none", "1 + 2 * 3"), ("none", "10 / 4"), ("none", "7 % 3"), ("none", "-7 % 3"),
    ("none", "7 % -3"), ("none", "5 % 0"), ("none", "0.1 + 0.2"), ("none", "1 - 5"),
    ("none", "-(3)"), ("none", "!true"), ("none", "true && false"), ("none", "true || false"),
    ("none", "1 < 2"), ("none", "2 <= 2"), ("none", "3 > 4"), ("none", "3 >= 4"),
    ("none", "1 == 1"), ("none", '1 == "1"'), ("none", "[1] == [1]"), ("none", "{a=1} != {a=2}"),
    ("none", "null == null"), ("none", "null == 1"), ("none", '"1" + 1'), ("none", '"a" + 1'),
    ("none", '1 + "a"'), ("none", '"a" + "b"'), ("none", "null + 1"), ("none", "1 * null"),
    ("none", "0 / 0"), ("none", "!1"), ("none", '!"true"'), ("none", "-true"), ("none", 'true && "x"'),
    ("none", '"true" && true'), ("none", "[] + 1"), ("none", "{} < 1"),
    ("none", "1 > null"), ("none", "(1 + 2) * 3"),
    # conditionals
    ("none", "true ? 1 : 2"), ("none", 'false ? 1 : "b"'), ("none", 'true ? 1 : "b"'),
    ("none", "true ? 1 : [1]"), ("none", "true ? {a=1} : {b=1}"), ("none", "true ? {a=1} : {a=true}"),
    ("none", "true ? [1] : [1, 2]"), ("none", "true ? [1, 2] : [1, true]"),
    ("none", "null ? 1 : 2"), ("none", '"x" ? 1 : 2'), ("none", '"true" ? 1 : 2'),
    ("none", "true ? null : 1"), ("none", "false ? null : 1"), ("none", "true ? 1 : null"),
    ("none", "false ? [1] : null"), ("none", "true ? [1] : [\"a\"]"),
    ("none", "false ? {a=1} : {a=\"x\"}"),
    # tuples, objects
    ("none", "[1, \"a\", true, null]"), ("none", "{a = 1, \"b\" = 2, c: 3}"),
    ("none", "{a = 1, a = 2}"), ("none", "{null = 1, true = 2, false = 3}"),
    ("none", "{(1) = 1}"), ("none", "{1 = 1}"), ("none", "{a.b = 1}"), ("none", '{"${true}" = 1}'),
    ("none", "{([]) = 1}"), ("none", "{(null) = 1}"),
    # index and attributes
    ("none", "[1, 2][0]"), ("none", "[1, 2][2]"), ("none", "[1, 2][5]"), ("none", "[][0]"),
    ("none", "[][3]"), ("none", "[1, 2][-1]"), ("none", "[1, 2][0.5]"), ("none", '[1, 2]["1"]'),
    ("none", '[1, 2]["a"]'), ("none", "[1, 2][null]"), ("none", "null[0]"), ("none", "1[0]"),
    ("none", '{a=1}["a"]'), ("none", '{a=1}["b"]'), ("none", "{a=1}[0]"), ("none", "{a=1}.a"),
    ("none", "{a=1}.b"), ("none", "null.a"), ("none", '"s".a'), ("none", "[1].a"),
    ("none", "[{a=1}].a"), ("none", "[1,2].0"), ("none", "[[1,2],[3]][0][1]"),
    ("none", "{a={b=[1,2]}}.a.b[1]"), ("none", "{a=1}[[]]"),
    # splats
    ("none", "[{a=1},{a=2}][*].a"), ("none", "[{a=1},{a=2}].*.a"), ("none", "null[*]"),
    ("none", "{a=1}[*].a"), ("none", "1[*]"), ("none", "[{a=[1,2]},{a=[3]}][*].a[0]"),
    ("none", "[{a=1},{b=2}][*].a"), ("none", "[[1,2],[3,4]][*][0]"), ("none", "[][*].a"),
    ("none", "[{a={b=1}}][*].a.b"), ("none", "[{a=[{b=1},{b=2}]}][*].a[*].b"),
    # for expressions
    ("none", "[for x in [1,2,3]: x * 2]"), ("none", "[for i, x in [1,2,3]: i]"),
    ("none", "[for x in [1,2,3]: x if x > 1]"), ("none", "{for x in [\"a\",\"b\"]: x => x}"),
    ("none", "{for k, v in {a=1,b=2}: v => k}"), ("none", "{for x in [\"a\",\"a\"]: x => x}"),
    ("none", "{for x in [\"a\",\"a\",\"b\"]: x => x...}"), ("none", "[for x in null: x]"),
    ("none", "[for x in 1: x]"), ("none", "[for x in [1]: x if null]"),
    ("none", "[for x in [1]: x if \"a\"]"), ("none", "[for x in [1]: x if x]"),
    ("none", "{for x in [1]: null => x}"), ("none", "{for x in [1]: [] => x}"),
    ("none", "{for x in [1, 2]: x => x}"), ("none", "[for k, v in {b=1, a=2}: k]"),
    ("none", "[for x in \"abc\": x]"), ("none", "[for x in [1,2]: y]"),
    ("none", "[for x in [[1,2],[3]]: [for y in x: y * 10]]"),
    ("none", "{for x in [1,2,3]: x => x if x != 2}"),
    # templates
    ("none", '"${1}-${true}"'), ("none", '"${null}"'), ("none", '"a${null}"'), ("none", '"a${[1]}"'),
    ("none", '"${[1]}"'), ("none", '"%{ for x in [1,2] }${x},%{ endfor }"'),
    ("none", '"%{ if true }yes%{ else }no%{ endif }"'), ("none", '"%{ if false }yes%{ endif }"'),
    ("none", '"%{ for x in [1, null] }${x}%{ endfor }"'), ("none", '"%{ for x in [[1]] }${x}%{ endfor }"'),
    ("none", '"%{ if null }a%{ endif }"'), ("none", '"%{ for x in null }a%{ endfor }"'),
    ("none", '"a %{ if "x" }b%{ endif }"'), ("none", '"${"a"}"'), ("none", '"x${1.50}"'),
    # variables and functions
    ("none", "v"), ("none", "v.a"), ("none", "foo(1)"), ("none", "[for x in [1]: x]"),
    ("funcs", "v"), ("funcs", "first(1, 2)"), ("funcs", "nope(1)"),
    ("funcs", "first(1)"), ("funcs", "first(1, 2, 3)"), ("funcs", "rest()"), ("funcs", "rest(1)"),
    ("funcs", "rest(1, 2, 3)"), ("funcs", "first([1, 2]...)"), ("funcs", "first([1]...)"),
    ("funcs", "first(1, [2, 3]...)"), ("funcs", "first(null, 1)"), ("funcs", "rest(1, null)"),
    ("funcs", "first(1, null)"), ("funcs", "first(1...)"), ("funcs", "first(null...)"),
    ("funcs", "rest(1, []...)"), ("funcs", "first({a=1}...)"), ("funcs", "rest(1, 2, [3, 4]...)"),
    ("funcs", "first(first(1, 2), 3)"), ("funcs", "[for x in [1]: first(x, x)]"),
    ("full", "x"), ("full", "x + y"), ("full", "s"), ("full", "l[1]"), ("full", "l[3]"),
    ("full", "o.a"), ("full", "o.z"), ("full", "o[\"b\"]"), ("full", "o.c[1]"), ("full", "n"),
    ("full", "n.a"), ("full", "n[0]"), ("full", "n[*]"), ("full", "objs[*].name"),
    ("full", "objs.*.v"), ("full", "objs[*].nope"), ("full", "objs[0].name"),
    ("full", "nested.inner.deep"), ("full", "nested.inner.nope"), ("full", "big"),
    ("full", "big + 1"), ("full", "nestd"), ("full", "strz"), ("full", "abcdef"),
    ("full", "first(x, s)"), ("full", "rest(x, l...)"), ("full", "{for v in strs: v => v...}"),
    ("full", "[for i, v in l: i + v]"), ("full", "[for k, v in o: k]"),
    ("full", "{for k, v in o: k => v}"), ("full", "[for v in l: v if v != x]"),
    ("full", "t ? s : \"no\""), ("full", "f ? s : x"), ("full", "e[*]"), ("full", "e[0]"),
    ("full", "eo[*]"), ("full", "\"${s} world ${x}\""), ("full", "\"%{for v in l}${v}%{endfor}\""),
    ("full", "l == [1, 2, 3]"), ("full", "[for x in l: x][0]"), ("full", "x.y"), ("full", "s[0]"),
    ("full", "l.a"), ("full", "{(s) = 1}"), ("full", "{s = 1}"), ("full", "{(n) = 1}"),
    ("full", "[for x in l: y]"), ("full", "[for x in l: x if t]"), ("full", "[for x in l: x if l]"),
    ("full", "\"%{if t}${s}%{endif}\""), ("full", "x == 1 ? first(1, 2) : rest(1)"),
    ("full", "{for k, v in {a = 1}: k => v if v > 0}"),
    # more edge cases
    ("none", '-"1"'), ("none", '"a" < "b"'), ("none", '1 == true'), ("none", '"1" == 1'),
    ("none", "[1, 2] == [1, 2]"), ("none", "{} == {}"), ("none", "[] == {}"), ("none", "1 != null"),
    ("none", "1e400 * 0"), ("none", "1 / 3"), ("none", "2 / 3 * 3"), ("none", "-0"),
    ("none", "123456789012345678901234567890 + 1"), ("none", "0.1 * 3"), ("none", "10 % 3.5"),
    ("none", "-10 % 3.5"), ("none", "1 < \"2\""), ("none", "!null"), ("none", "-null"),
    ("none", "true ? [] : [1]"), ("none", "false ? [] : [1]"), ("none", "true ? {} : {a=1}"),
    ("none", "true ? \"a\" : true"), ("none", "false ? \"a\" : true"), ("none", "true ? 1 : true"),
    ("none", "true ? [[1]] : [[\"a\", 2]]"), ("none", "true ? {a={b=1}} : {a={c=1}}"),
    ("none", "true ? null : null"), ("none", "[1,2][*]"), ("none", "{a=1}.*"), ("none", "[{a=1}, null][*].a"),
    ("none", "[null, {a=1}][*].a"), ("none", "[1, \"a\"][*]"), ("none", "[[{a=1}]][*][0].a"),
    ("none", "[for x in {a=1}: x]"),
    ("none", "{for i, x in [\"a\",\"b\"]: x => i}"), ("none", "{for x in [1]: x => x if null}"),
    ("none", "{for x in [1]: x => x if \"a\"}"), ("none", "{for x in [1]: x => x if 1}"),
    ("none", "{for x in [1, 2]: \"k\" => x...}"), ("none", "[for x in [1, 2]: x if x > \"a\"]"),
    ("none", "[for x in [1, 2]: x.a]"), ("none", "[for x in [{a=1}, {b=1}]: x.a]"),
    ("none", "{for x in [\"a\", \"a\", \"a\"]: x => x}"), ("none", "[for x, y in []: x]"),
    ("none", "\"${\"a\"}${1}${true}${-1.25}\""), ("none", "\"%{for x in [\"a\"]}${x}%{endfor}x\""),
    ("none", "\"%{for k, v in {a=1,b=2}}${k}=${v};%{endfor}\""), ("none", "\"${{a=1}}\""),
    ("none", "\"a${{a=1}}\""), ("none", "\"%{if 1}x%{endif}\""), ("none", "\"%{if [] }x%{endif}\""),
    ("none", "\"%{for x in 1}x%{endfor}\""), ("none", "\"%{ for x in [1] ~} ${x} %{~ endfor }\""),
    ("none", "\"a${ 1 ~}   b\""), ("none", "<<EOT\n  ${1}\nEOT"), ("none", "<<-EOT\n    a\n    ${1}\n  EOT"),
    ("none", "{a = 1}[\"a\"].b"), ("none", "[[1]][0][0][0]"), ("none", "{a = null}.a.b"),
    ("funcs", "first(1, first())"), ("funcs", "first(nope(), 2)"), ("funcs", "first([1]..., 2)"),
    ("funcs", "first(v, 1)"), ("funcs", "rest(1, [null]...)"), ("funcs", "first(1, 2...)"),
    ("funcs", "rest(1, {a=1}...)"), ("funcs", "first(x...)"), ("funcs", "first(\"a\", \"b\")"),
    ("funcs", "first()"), ("funcs", "rest(\"a\", null...)"), ("funcs", "firs(1, 2)"),
    ("full", "first(n, 1)"), ("full", "rest(1, strs...)"), ("full", "first(l...)"),
    ("full", "[for x in l: x if x > y]"), ("full", "{for k, v in o: v => k}"),
    ("full", "[for k, v in nested: v.deep]"), ("full", "[for k, v in nested.inner: v]"),
    ("full", "objs[*].name[0]"), ("full", "objs[1].v * big"), ("full", "o.c[*]"),
    ("full", "o[*].a"), ("full", "{for o in objs: o.name => o.v}"),
    ("full", "{for o in objs: o.v => o.name...}"), ("full", "o[\"c\"][0] ? x : y"),
    ("full", "\"%{for i, o in objs}${i}:${o.name} %{endfor}\""), ("full", "l[x]"), ("full", "l[\"${x}\"]"),
    ("full", "l[y]"), ("full", "o[s]"), ("full", "nested[\"inner\"].deep"), ("full", "strs[*]"),
    ("full", "n == null"), ("full", "n != null ? n : s"), ("full", "e == []"), ("full", "x.0"),
    ("full", "[for i, v in strs: i if v == \"a\"]"), ("full", "t && f || !f"),
    # diagnostics order and collection
    ("none", "v + \"a\""), ("none", "\"a\" + v"), ("none", "[v, w]"), ("none", "{a = v, b = w}"),
    ("none", "v ? w : u"), ("none", "true ? w : u"), ("none", "v[w]"), ("none", "v[*].a[w]"),
    ("none", "[for x in v: w]"), ("none", "{for x in [1]: v => w}"), ("none", "\"${v}${w}\""),
    ("funcs", "first(v, w)"), ("funcs", "first(v)"), ("funcs", "rest(v, w, u)"),
    ("full", "(qqqqq + wwwww) * kkkkk"), ("full", "-qqqqq"), ("full", "!(x > qqqqq)"), ("full", "{(qqqqq) = wwwww}"),
    ("full", "[for x in l: qqqqq if wwwww]"), ("full", "l[*][qqqqq]"),
]


def run(mode, expr, workdir):
    spec = os.path.join(workdir, "spec.hcldec")
    with open(spec, "w") as fh:
        fh.write((FUNCS if mode != "none" else "") + ATTR)
    inp = os.path.join(workdir, "in.hcl")
    with open(inp, "w") as fh:
        fh.write("a = " + expr + "\n")
    cmd = [HCLDEC, "--spec=" + spec, "--diags=json", "--keep-nulls"]
    if mode == "full":
        cmd.append("--vars=" + json.dumps(VARS))
    cmd.append(inp)
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout.strip(), p.stderr.strip()


def c_str(s):
    return json.dumps(s, ensure_ascii=False)


def main():
    out = ["// Generated by eval_oracle_gen.py from HashiCorp's hcldec; do not edit.",
           "// {mode, expression, json result or \"\", {{summary, detail, range}...}}",
           "// vars: " + json.dumps(VARS)]
    with tempfile.TemporaryDirectory() as wd:
        for mode, expr in CASES:
            rc, stdout, stderr = run(mode, expr, wd)
            diags = []
            result = ""
            if stderr:
                try:
                    d = json.loads(stderr)
                except ValueError:
                    sys.stderr.write("skipping %r: %s\n" % (expr, stderr))
                    continue
                for x in d.get("diagnostics", []):
                    s = x.get("subject")
                    r = ""
                    if s:
                        r = "%d,%d-%d,%d" % (s["start"]["line"], s["start"]["column"],
                                             s["end"]["line"], s["end"]["column"])
                    diags.append("{%s, %s, %s}" % (c_str(x["summary"]), c_str(x["detail"]), c_str(r)))
            if rc == 0:
                result = stdout
            elif not diags:
                sys.stderr.write("skipping %r: rc=%d %s\n" % (expr, rc, stdout))
                continue
            out.append("{%s, %s, %s, {%s}}," % (c_str(mode), c_str(expr), c_str(result),
                                                ", ".join(diags)))
    print("\n".join(out))


main()
