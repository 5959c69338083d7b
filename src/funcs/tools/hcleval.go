// hcleval: evaluates HCL expressions (one per line on stdin) with HCL and
// go-cty from Debian's Go packages, printing C++ table rows
// {"expr", "json-or-ERR: detail"} for src/funcs tests. Used by oracle.py
// ("cty" mode) for functions Packer 1.6.6 lacks; build with
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o hcleval hcleval.go
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

func main() {
	funcs := map[string]function.Function{
		"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "regex_replace": stdlib.RegexReplaceFunc,
		"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc, "format": stdlib.FormatFunc,
		"can": tryfunc.CanFunc, "try": tryfunc.TryFunc, "convert": typeexpr.ConvertFunc,
		"upper": stdlib.UpperFunc, "jsonencode": stdlib.JSONEncodeFunc, "tostring": stdlib.MakeToFunc(cty.String),
	}
	ctx := &hcl.EvalContext{Functions: funcs, Variables: map[string]cty.Value{
		"unk": cty.UnknownVal(cty.String), "obj": cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x")}),
	}}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		expr, diags := hclsyntax.ParseExpression([]byte(line), "<test>", hcl.Pos{Line: 1, Column: 1})
		res := ""
		if diags.HasErrors() {
			res = "PARSE: " + diags[0].Summary
		} else {
			v, diags := expr.Value(ctx)
			if diags.HasErrors() {
				res = "ERR: " + strings.Join(strings.Fields(diags[0].Detail), " ")
			} else if !v.IsWhollyKnown() {
				res = "UNKNOWN"
			} else {
				b, err := ctyjson.Marshal(v, v.Type())
				if err != nil {
					res = "NOJSON: " + err.Error()
				} else {
					res = string(b)
				}
			}
		}
		q := func(s string) string { b := strings.Builder{}; fmt.Fprintf(&b, "%q", s); return b.String() }
		fmt.Printf("    {%s, %s},\n", q(line), q(res))
	}
}
