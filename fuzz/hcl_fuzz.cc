// libFuzzer target for the HCL engine: parses the input as a native-syntax
// file (and as JSON syntax when it starts with '{'), evaluates every
// attribute it finds, marshals the results to JSON, and formats the input.
// Any crash, sanitizer report, or leak is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hcl/ast.h"
#include "hcl/format.h"
#include "hcl/parse.h"

namespace {

using namespace kiln::hcl;

// Numbers far outside a double's range print with millions of digits
// (1e100000000 has 10^8), which takes minutes in HashiCorp's hcldec too (35 s
// for 1e10000000). The harness does not marshal those, so a fuzzing timeout
// stays a finding of a real hang rather than of a legitimately huge output.
bool printable_in_time(const Value& v) {
  if (!v.is_known() || v.is_null()) return true;
  const Type& t = v.type();
  if (t.kind() == Type::Kind::Number) {
    const Number& n = v.as_number();
    if (n.is_inf() || n.is_nan() || n.is_zero()) return true;
    double d = n.to_double();
    double a = d < 0 ? -d : d;
    return a < 1e300 && a > 1e-300;
  }
  if (t.is_list() || t.is_set() || t.is_tuple()) {
    for (const auto& e : v.elements())
      if (!printable_in_time(e)) return false;
  } else if (t.is_map() || t.is_object()) {
    for (const auto& [k, e] : v.attributes())
      if (!printable_in_time(e)) return false;
  }
  return true;
}

void eval_expr(const Expression& expr, const EvalContext& ctx) {
  Diagnostics diags;
  Value v = expr.value(&ctx, diags);
  if (v.is_wholly_known() && printable_in_time(v)) (void)value_to_json(v);
  (void)expr.variables();
}

void walk_native(const syntax::NativeBody& body, const EvalContext& ctx, int depth) {
  if (depth > 64) return;
  for (const auto& [name, attr] : body.attributes) eval_expr(*attr.expr, ctx);
  for (const auto& block : body.blocks)
    if (block.body) walk_native(*block.body, ctx, depth + 1);
}

void walk_generic(const Body& body, const EvalContext& ctx) {
  Diagnostics diags;
  Attributes attrs = body.just_attributes(diags);
  for (const auto& [name, attr] : attrs) eval_expr(*attr.expr, ctx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string src(reinterpret_cast<const char*>(data), size);
  EvalContext ctx;
  ctx.variables["var"] = Value::object({{"a", Value::string("x")}, {"n", Value::number(3)}});
  ctx.variables["list"] = Value::tuple({Value::number(1), Value::string("two")});

  Diagnostics diags;
  File f = parse_native_file(src, "fuzz.hcl", diags);
  if (auto native = std::dynamic_pointer_cast<const syntax::NativeBody>(f.body))
    walk_native(*native, ctx, 0);

  if (!src.empty() && src[0] == '{') {
    Diagnostics jdiags;
    File j = parse_json_file(src, "fuzz.json", jdiags);
    if (j.body) walk_generic(*j.body, ctx);
  }

  (void)format_hcl(src);
  return 0;
}
