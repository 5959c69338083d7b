// Test helpers: evaluate a native-syntax expression with the whole Packer
// function table and render the outcome as "json" or "ERR: detail".
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "funcs/registry.h"
#include "hcl/ast.h"
#include "hcl/value.h"

namespace kiln::funcs::testing {

struct Case {
  const char* expr;
  const char* want;  // the JSON of the result, or "ERR: <detail>"
};

inline std::string collapse_spaces(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

inline const hcl::EvalContext& test_context(const FuncsOptions* opts = nullptr) {
  static hcl::EvalContext ctx = [] {
    hcl::EvalContext c;
    FuncsOptions o;
    o.path_root = "src/funcs/testdata";
    c.functions = packer_functions(o);
    return c;
  }();
  (void)opts;
  return ctx;
}

inline std::string eval_outcome(const std::string& expr, const hcl::EvalContext& ctx) {
  hcl::Diagnostics diags;
  auto node = hcl::syntax::parse_expression(expr, "<test>", hcl::Pos{}, diags);
  if (diags.has_errors() || !node) {
    return "PARSE: " + (diags.empty() ? std::string("?") : diags[0].summary);
  }
  hcl::Value v = node->value(&ctx, diags);
  for (const auto& d : diags) {
    if (d.severity == hcl::Severity::Error) return "ERR: " + collapse_spaces(d.detail);
  }
  if (!v.is_wholly_known()) return "UNKNOWN";
  std::string err;
  auto j = hcl::value_to_json(v.unmarked_deep(), &err);
  if (!j) return "NOJSON: " + err;
  return *j;
}

inline void run_cases(const Case* cases, size_t n, const hcl::EvalContext& ctx = test_context()) {
  for (size_t i = 0; i < n; ++i) {
    std::string got = eval_outcome(cases[i].expr, ctx);
    std::string want = cases[i].want;
    if (want.rfind("ERR: ", 0) == 0) want = "ERR: " + collapse_spaces(want.substr(5));
    EXPECT_EQ(got, want) << "expression: " << cases[i].expr;
  }
}

}  // namespace kiln::funcs::testing
