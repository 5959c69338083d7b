#!/usr/bin/env python3
"""Regenerates the golden tables of the JSON syntax tests (json_golden_*.inc)
from HashiCorp's implementation: cmd/hcldec (build/go/hcldec, built by
scripts/build-go-tools.sh) and a small Go program over hcl/json, built here
from Debian's Go sources. Run from anywhere: python3 src/hcl/json_golden_gen.py
Only the case lists below are meant to be edited."""
import json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HCLDEC = os.path.join(ROOT, 'build', 'go', 'hcldec')

CASES = json.loads(r'''{
 "parse": [
  "{\"a\": tru, \"b\": }",
  "{\"a\": 1,}",
  "[1,]",
  "{\"a\" = 1}",
  "{\"a\" 1}",
  "{\"a\"}",
  "{\"a\",}",
  "{\"a\": 1 \"b\": 2}",
  "{\"a\": [1, 2}",
  "{\"a\": {\"b\": 1]}",
  "{\"a\": [1 : 2]}",
  "{\"a\": [1 2]}",
  "{\"a\": [1, 2",
  "{\"a\": {\"b\": 1",
  "{1: 2}",
  "{\"a\": undefined}",
  "{\"a\": NaN}",
  "{\"a\": True}",
  "{\"a\": nul}",
  "{\"a\": xyzzy}",
  "{\"a\": 01}",
  "{\"a\": 1.}",
  "{\"a\": -}",
  "{\"a\": +1}",
  "{\"a\": .5}",
  "{\"a\": 1e}",
  "{\"a\": \"\\q\"}",
  "{\"a\": \"abc",
  "{\"a\": \"ab\\u12x4\"}",
  "{\"a\": \"a\nb\"}",
  "{\"a\": @}",
  "{\"a\": 1} x",
  "{\"a\": 1} {",
  "",
  "   ",
  "1",
  "\"x\"",
  "null",
  "{\"a\": é}",
  "\t{\"a\":\r\n 1,\n\t\"b\": tru}",
  "{\"é́x\": tru}",
  "{\"a\": [}",
  "{\"a\": ]}",
  "{\"a\": {\"b\" {\"c\": 1}}, \"d\": 1}",
  "[{}, 1]",
  "{\"a\": \"\\ud800\"}",
  "{\"a\": \"x\\",
  "{\"a\": 1, ,}",
  "{,}",
  "{\"a\": {}, \"a\": ]}",
  "{\"a\": \"؀\"  ",
  "{\"a\": \"؀\" }",
  "{\"a\": \"😀👍🏽é中\", \"b\": tru}",
  "{\"a\": \"\t\", \"b\": 1}",
  "{\"a\": \"x\\\"",
  "{\"a\": \"\\u00\"}",
  "{\"a\": 1e5, \"b\": -0.5E-3, \"c\": 1E+2}",
  "{\"a\": [1, [2, [3, {\"b\": tru}]]]}",
  "{\"a\": {\"b\": {\"c\": 1]}}",
  "{\"a\": [[1, 2}, 3]}",
  "{\"a\": {\"b\": 1}}}",
  "{\"a\": \"\\/\\b\\f\\n\\r\\t\"}",
  "{\n\"a\": 1,\n\"b\": \"\\z\"\n}",
  "{\"a\": FALSE}",
  "{\"a\": Infinity}",
  "{\"a\": nulll}",
  "{\"a\": truee}",
  "{\"a\": t}",
  "{\"a\": fals_e}",
  "[{\"a\": 1}, ",
  "{\"a\": 1} // c",
  "{\"a\"= 1}",
  "{\"a\" : 1 , \"b\" : [ ] }"
 ],
 "body": [
  "[{}, 1]",
  "[{\"a\": 1}, {\"b\": 2}]",
  "[{\"a\": 1}, {\"a\": 2}]",
  "{\"a\": 1, \"a\": 2}",
  "{\"//\": \"comment\", \"a\": 1}",
  "{\"b\": 1}",
  "{\"aa\": 1}",
  "{\"A\": 1}",
  "{\"a\": {\"x\": 1, \"x\": 2}}",
  "{\"a\": [1, \"two\", {\"k\": [true, null]}]}",
  "{\"a\": 1e400}",
  "{\"a\": 0.1}",
  "{\"a\": -0}",
  "{\"a\": 123456789012345678901234567890}",
  "{\"a\": 1.5e-7}",
  "{\"a\": \"x\\ty\\u00e9\\ud83d\\ude00\\/\"}",
  "{\"a\": \"\\u0041\\u030a\"}",
  "{\"a\": \"${x}\"}",
  "{\"a\": {\"${x}\": 1}}",
  "{\"a\": null}",
  "{\"a\": \"ÿ؀\"}",
  "[]",
  "{}",
  "[{\"a\": 1}, null]",
  "{\"a\": \"\\ud800x\\udc00\"}",
  "{\"a\": \"\\ud83d\\u0041\"}",
  "{\"ab\": 1, \"//\": 2}",
  "{\"a\": [1e5, -0.5E-3, 1E+2, 0e0, -0, 1.000, 12345678901234567890.123456789e-5]}",
  "{\"a\": {\"\u00e9\": 1, \"e\u0301\": 2}}",
  "{\"a\": \"<&>\"}",
  "{\"a\": [1e99999999999, 2]}",
  "{\"a\": -1e-99999999999}",
  "{\"a\": 1e2147483647}",
  "{\"a\": 1E+0000000000005}",
  "{\"a\": 0.0000000000000000000000000000001e-0000000000000000000001}"
 ],
 "ctx": [
  {
   "src": "{\"a\": \"${x}\"}",
   "vars": {
    "x": 1
   }
  },
  {
   "src": "{\"a\": \"${x + 1}\"}",
   "vars": {
    "x": 1
   }
  },
  {
   "src": "{\"a\": \"hello ${x}!\"}",
   "vars": {
    "x": "w"
   }
  },
  {
   "src": "{\"a\": {\"k${x}\": \"${x}\"}}",
   "vars": {
    "x": 1
   }
  },
  {
   "src": "{\"a\": {\"${x}\": 1, \"1\": 2}}",
   "vars": {
    "x": 1
   }
  },
  {
   "src": "{\"a\": {\"${y}\": 1}}",
   "vars": {
    "y": null
   }
  },
  {
   "src": "{\"a\": {\"${y}\": 1}}",
   "vars": {
    "y": [
     1
    ]
   }
  },
  {
   "src": "{\"a\": \"${\"}",
   "vars": {
    "x": 1
   }
  },
  {
   "src": "{\"a\": \"${nope}\"}",
   "vars": {
    "x": 1
   }
  },
  {
   "src": "{\"a\": [\"$${x}\", \"%%{x}\", \"a$b\", \"100%\"]}",
   "vars": {
    "x": 1
   }
  },
  {
   "src": "{\"a\": \"%{ if x == 1 }yes%{ else }no%{ endif }\"}",
   "vars": {
    "x": 1
   }
  },
  {
   "src": "{\"a\":\n  \"${x.y}\"}",
   "vars": {
    "x": {
     "z": 1
    }
   }
  },
  {
   "src": "{\"a\": \"\\t${x.y}\"}",
   "vars": {
    "x": {
     "z": 1
    }
   }
  },
  {
   "src": "{\"a\": [1, \"${x}\", true, null]}",
   "vars": {
    "x": "s"
   }
  },
  {
   "src": "{\"a\": {\"${x}\": 1, \"${x}\": 2}}",
   "vars": {
    "x": "k"
   }
  }
 ],
 "varrefs": [
  {
   "src": "{\"a\": {\"k${x.y}\": [\"${z[0]} and ${w}\", \"$${q}\"]}, \"b\": \"${nope\"}",
   "varrefs": true
  },
  {
   "src": "{\"a\": \"${a.b[\\\"c\\\"]}\"}",
   "varrefs": true
  },
  {
   "src": "{\"a\": \"${\"}",
   "varrefs": true
  },
  {
   "src": "{\"a\": 1}",
   "varrefs": true
  },
  {
   "src": "{\"a\":\n\t\"é ${x} %{for v in y}${v}${q}%{endfor}\"}",
   "varrefs": true
  },
  {
   "src": "{\"a\": [\"${a}\", {\"${b}\": \"${c}\"}, null, true, 3]}",
   "varrefs": true
  }
 ],
 "blocks": [
  "{}",
  "{\"b\": {\"x\": 1}}",
  "{\"b\": [{\"x\": 1}, {\"x\": 2}]}",
  "{\"b\": {\"x\": 1}, \"b\": {\"x\": 2}}",
  "[{\"b\": {\"x\": 1}}, {\"b\": [{\"x\": 2}]}]",
  "{\"b\": []}",
  "{\"b\": null}",
  "{\"b\": 1}",
  "{\"b\": \"s\"}",
  "{\"b\": [1]}",
  "{\"b\": [{\"x\": 1, \"y\": 2}]}",
  "{\"b\": {\"//\": \"c\", \"x\": 1}}",
  "{\"m\": {\"a\": {\"b\": {\"x\": 1}}}}",
  "{\"m\": {\"a\": {\"b\": {\"x\": 1}, \"c\": {\"x\": 2}}, \"d\": {\"e\": {\"x\": 3}}}}",
  "{\"m\": {\"a\": [{\"b\": {\"x\": 1}}, {\"c\": {\"x\": 2}}]}}",
  "{\"m\": {}}",
  "{\"m\": {\"a\": {}}}",
  "{\"m\": 1}",
  "{\"m\": {\"a\": 1}}",
  "{\"m\": [1, {\"a\": {\"b\": {\"x\": 1}}}]}",
  "{\"m\": {\"a\": {\"b\": 1}}}",
  "{\"m\": {\"a\": [{\"b\": {\"x\": 1}}, 2]}}",
  "{\"m\": null}",
  "{\"m\": {\"a\": null}}",
  "{\"m\": {\"a\": {\"b\": null}}}",
  "{\"m\": {\"a\": {\"b\": [{\"x\": 1}]}}}",
  "{\"m\": {\"a\": {\"b\": [1]}}}",
  "{\"bbx\": 1, \"mmy\": 2}",
  "{\"bbx\": 1}",
  "{\"b\": {\"x\": 1}, \"m\": {\"a\": {\"b\": {\"x\": 2, \"z\": 1}}}}"
 ],
 "expr": [
  "\"foo.bar[0]\"",
  "\"foo\"",
  "\"foo.bar[\\\"k\\\"]\"",
  "\"foo + 1\"",
  "\"${foo}\"",
  "\"null\"",
  "\"true\"",
  "1",
  "[1, \"a\"]",
  "{\"k\": 1, \"${x}\": 2}",
  "null",
  "\"é.b\"",
  "\"a.\"",
  "\n \"x\"",
  "[1,",
  "true",
  "{\"a\": {\"b\": [1, {}]}}",
  "\"\"",
  "\"foo[*]\"",
  "\"foo.0\"",
  "\"a\\u0062c\""
 ],
 "file": [
  "{\"a\": 1, \"b\": {\"x\": {}}, \"c\": 2, \"//\": 3}",
  "[{\"a\": 1}, {\"c\": 2}]",
  "{\"c\": 1, \"c\": 2}",
  "1",
  "",
  "[]",
  "{}",
  "{\"b\": [{\"l1\": {}}, {\"l2\": [{}, {}]}]}",
  "{\"b\": {\"l\": null}}",
  "{\"b\": {}}",
  "{\"a\": 1, \"a\": 2, \"b\": 3}",
  "{\n  \"c\": \"x\",\n  \"d\": [1]\n}",
  "[{\"a\": 1}, 2]",
  "{\"b\": {\"l\": [1, {}]}}",
  "{\"a\": {\"b\": [1, {\"c\": [[{}]]}]}, \"d\": [{}, 2]}"
 ]
}''')

SPEC1 = r'''object {
  attr "a" {
    type = any
  }
}
'''
SPEC2 = r'''object {
  block_list "b" {
    block_type = "b"
    object {
      attr "x" { type = number }
    }
  }
  block_map "m" {
    block_type = "m"
    labels = ["k1", "k2"]
    object {
      attr "x" { type = number }
    }
  }
}
'''
GO_ORACLE = r'''package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	hjson "github.com/hashicorp/hcl/v2/json"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

func pos(p hcl.Pos) string { return fmt.Sprintf("%d,%d,%d", p.Line, p.Column, p.Byte) }
func rng(r hcl.Range) string { return pos(r.Start) + "-" + pos(r.End) }
func rngp(r *hcl.Range) string {
	if r == nil {
		return ""
	}
	return rng(*r)
}
func diags(ds hcl.Diagnostics) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Summary+"|"+d.Detail+"|"+rngp(d.Subject)+"|"+rngp(d.Context))
	}
	return out
}
func trav(t hcl.Traversal) string {
	parts := []string{}
	for _, s := range t {
		switch tt := s.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, "root "+tt.Name+"@"+rng(tt.SrcRange))
		case hcl.TraverseAttr:
			parts = append(parts, "attr "+tt.Name+"@"+rng(tt.SrcRange))
		case hcl.TraverseIndex:
			b, _ := ctyjson.Marshal(tt.Key, tt.Key.Type())
			parts = append(parts, "index "+string(b)+"@"+rng(tt.SrcRange))
		}
	}
	return strings.Join(parts, "/")
}

type Out map[string]interface{}

func main() {
	var cases []string
	json.NewDecoder(os.Stdin).Decode(&cases)
	mode := os.Args[1]
	res := []Out{}
	for _, src := range cases {
		o := Out{"src": src}
		switch mode {
		case "expr":
			e, d := hjson.ParseExpressionWithStartPos([]byte(src), "e.json", hcl.Pos{Line: 3, Column: 5, Byte: 20})
			o["parse"] = diags(d)
			o["range"] = rng(e.Range())
			o["start"] = rng(e.StartRange())
			t, td := hcl.AbsTraversalForExpr(e)
			o["trav"] = trav(t)
			o["travdiags"] = diags(td)
			o["keyword"] = hcl.ExprAsKeyword(e)
			l, ld := hcl.ExprList(e)
			o["list"] = len(l)
			o["listdiags"] = diags(ld)
			m, md := hcl.ExprMap(e)
			keys := []string{}
			for _, kv := range m {
				k, _ := kv.Key.Value(nil)
				keys = append(keys, k.AsString()+"@"+rng(kv.Key.Range())+"="+rng(kv.Value.Range()))
			}
			o["map"] = keys
			o["mapdiags"] = diags(md)
			v, vd := e.Value(nil)
			b, _ := ctyjson.Marshal(v, v.Type())
			o["value"] = string(b)
			o["valuediags"] = diags(vd)
		case "file":
			f, d := hjson.Parse([]byte(src), "f.json")
			o["parse"] = diags(d)
			nav := []string{}
			for i := 0; i <= len(src); i++ {
				nav = append(nav, f.Nav.(interface{ ContextString(int) string }).ContextString(i))
			}
			o["nav"] = strings.Join(nav, ";")
			o["missing"] = rng(f.Body.MissingItemRange())
			o["missingfile"] = f.Body.MissingItemRange().Filename
			attrs, ad := f.Body.JustAttributes()
			o["justdiags"] = diags(ad)
			names := []string{}
			for n, a := range attrs {
				names = append(names, n+"@"+rng(a.Range)+"/"+rng(a.NameRange)+"/"+rng(a.Expr.Range())+"/"+rng(a.Expr.StartRange()))
			}
			o["just"] = names
			c, rem, cd := f.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "a", Required: true}}, Blocks: []hcl.BlockHeaderSchema{{Type: "b", LabelNames: []string{"l"}}}})
			o["pcdiags"] = diags(cd)
			bl := []string{}
			for _, b := range c.Blocks {
				bl = append(bl, b.Type+"/"+strings.Join(b.Labels, ",")+"@def"+rng(b.DefRange)+"@type"+rng(b.TypeRange)+"@missing"+rng(b.Body.MissingItemRange()))
				for _, lr := range b.LabelRanges {
					bl = append(bl, "label@"+rng(lr))
				}
			}
			o["blocks"] = bl
			o["pcmissing"] = rng(c.MissingItemRange)
			ra, rd := rem.JustAttributes()
			rn := []string{}
			for n := range ra {
				rn = append(rn, n)
			}
			o["remain"] = rn
			o["remaindiags"] = diags(rd)
			_, cd2 := rem.Content(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "c"}}})
			o["remaincontent"] = diags(cd2)
		}
		res = append(res, o)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	enc.Encode(res)
}
'''

import json, sys
# emits C++ initializers for GoldenCase rows
def cstr(s):
    if all(c >= ' ' or c in '\n\t' for c in s):
        return 'R"__(' + s + ')__"'
    out = '"'
    for b in s.encode('utf-8'):
        c = chr(b)
        if c == '"' or c == '\\': out += '\\' + c
        elif c == '\n': out += '\\n'
        elif b < 32 or b >= 127: out += '\\%03o' % b
        else: out += c
    return out + '"'

def rng(r):
    if r is None: return ""
    s, e = r['start'], r['end']
    return "%d,%d,%d-%d,%d,%d" % (s['line'], s['column'], s['byte'], e['line'], e['column'], e['byte'])

def run_hcldec(cases, spec, work):
    open(os.path.join(work, 'spec.hcldec'), 'w').write(spec)
    out = []
    for c in cases:
        if isinstance(c, str): c = {'src': c}
        open(os.path.join(work, 'case.json'), 'w').write(c['src'])
        args = [HCLDEC, '--spec=spec.hcldec', '--diags=json']
        if 'vars' in c: args += ['-V', json.dumps(c['vars'])]
        if c.get('varrefs'): args += ['--var-refs']
        p = subprocess.run(args + ['case.json'], cwd=work, capture_output=True, text=True)
        diags, res = [], None
        if '"diagnostics"' in p.stderr:
            for x in json.loads(p.stderr)['diagnostics']:
                diags.append("%s%s|%s|%s" % ('W:' if x['severity'] == 'warning' else '', x['summary'], x['detail'], rng(x.get('subject'))))
        else:
            res = p.stdout.strip()
            if c.get('varrefs'):
                trs = []
                for t in json.loads(res):
                    steps = []
                    for st in t['steps']:
                        lab = st['name'] if st['kind'] in ('root', 'attr') else json.dumps(st['key'], separators=(',', ':'))
                        steps.append('%s %s@%s' % (st['kind'], lab, rng(st['range'])))
                    trs.append('/'.join(steps) + '@' + rng(t['range']))
                res = ';'.join(trs)
        if p.stderr and not diags: sys.exit('hcldec failed: ' + p.stderr)
        out.append({'src': c['src'], 'diags': diags, 'result': res, 'vars': c.get('vars')})
    return out

def rows_hcldec(results):
    lines = []
    for c in results:
        d = ', '.join(cstr(x) for x in c['diags'])
        res = 'nullptr' if c['result'] is None else cstr(c['result'])
        vars_ = cstr(json.dumps(c['vars'])) if c['vars'] is not None else 'nullptr'
        lines.append('    {%s, %s, {%s}, %s},' % (cstr(c['src']), vars_, d, res))
    return lines

def vec(xs): return '{' + ', '.join(cstr(x) for x in xs) + '}'

def build_oracle(work):
    d = os.path.join(work, 'gopath', 'src', 'oracle')
    os.makedirs(d)
    open(os.path.join(d, 'main.go'), 'w').write(GO_ORACLE)
    env = dict(os.environ, GOPATH=os.path.join(work, 'gopath') + ':/usr/share/gocode', GO111MODULE='off',
               GOCACHE=os.path.join(work, 'gocache'), GOFLAGS='', GOPROXY='off')
    exe = os.path.join(work, 'oracle')
    subprocess.run(['go', 'build', '-o', exe, 'oracle'], env=env, check=True)
    return exe

def run_oracle(exe, mode, cases):
    p = subprocess.run([exe, mode], input=json.dumps(cases), capture_output=True, text=True, check=True)
    return json.loads(p.stdout)

def write(name, lines):
    with open(os.path.join(HERE, name), 'w') as f:
        f.write('// Generated by json_golden_gen.py from HashiCorp\'s implementation; do not edit.\n')
        f.write('\n'.join(lines) + '\n')

def main():
    with tempfile.TemporaryDirectory() as work:
        write('json_golden_cases.inc', rows_hcldec(run_hcldec(CASES['parse'] + CASES['body'] + CASES['ctx'], SPEC1, work)))
        write('json_golden_blocks.inc', rows_hcldec(run_hcldec(CASES['blocks'], SPEC2, work)))
        write('json_golden_varrefs.inc', rows_hcldec(run_hcldec(CASES['varrefs'], SPEC1, work)))
        exe = build_oracle(work)
        lines = []
        for c in run_oracle(exe, 'expr', CASES['expr']):
            lines.append('    {%s, %s, %s, %s, %s, %s, %s, %d, %s, %s},' % (
                cstr(c['src']), vec(c['parse']), cstr(c['range']), cstr(c['start']), cstr(c['trav']),
                vec(c['travdiags']), cstr(c['keyword']), c['list'], vec(c['map']), cstr(c['value'])))
        write('json_golden_expr.inc', lines)
        lines = []
        for c in run_oracle(exe, 'file', CASES['file']):
            lines.append('    {%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s},' % (
                cstr(c['src']), vec(c['parse']), cstr(c['missing']), cstr(c['missingfile']), vec(sorted(c['just'])),
                vec(c['justdiags']), vec(c['pcdiags']), vec(c['blocks']), cstr(c['pcmissing']), vec(sorted(c['remain'])),
                vec(c['remaindiags']), vec(c['remaincontent']), cstr(c['nav'])))
        write('json_golden_file.inc', lines)

if __name__ == '__main__':
    main()
