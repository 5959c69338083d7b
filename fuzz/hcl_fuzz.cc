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

void eval_expr(const Expression& expr, const EvalContext& ctx) {
  Diagnostics diags;
  Value v = expr.value(&ctx, diags);
  if (v.is_wholly_known()) (void)value_to_json(v);
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
