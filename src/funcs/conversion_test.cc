// can, try and convert, called as the evaluator must call them (with the
// argument expressions). Expectations recorded from HCL's tryfunc/typeexpr
// with go-cty (testdata/oracle/conversion.txt); the context has `unk` (an
// unknown string) and `obj` ({a = "x"}), as the recording helper had.
#include "funcs/funcs_test_util.h"
#include "hcl/parse.h"

namespace kiln::funcs::testing {
namespace {

std::string eval_call(const std::string& expr, const hcl::EvalContext& ctx) {
  hcl::Diagnostics diags;
  auto node = hcl::syntax::parse_expression(expr, "<test>", hcl::Pos{}, diags);
  if (diags.has_errors() || !node) return "PARSE";
  auto* call = dynamic_cast<const hcl::syntax::FunctionCallExpr*>(node.get());
  if (!call || !is_expression_function(call->name)) return eval_outcome(expr, ctx);
  std::vector<const hcl::Expression*> args;
  for (const auto& a : call->args) args.push_back(a.get());
  hcl::Value v = call_expression_function(call->name, args, &ctx, call->range(),
                                          call->start_range(), call->close_paren_range, diags);
  for (const auto& d : diags) {
    if (d.severity == hcl::Severity::Error) return "ERR: " + collapse_spaces(d.detail);
  }
  if (!v.is_wholly_known()) return "UNKNOWN";
  return hcl::value_to_json(v);
}

const hcl::EvalContext& ctx() {
  static hcl::EvalContext c = [] {
    hcl::EvalContext x;
    x.functions = packer_functions(FuncsOptions{});
    x.variables["unk"] = hcl::Value::unknown(hcl::Type::string());
    x.variables["obj"] = hcl::Value::object({{"a", hcl::Value::string("x")}});
    return x;
  }();
  return c;
}

const Case kOracle[] = {
#include "funcs/testdata/oracle/conversion.inc"
    // cty 1.13 fills absent optional attributes with null.
    {"convert({a=1}, object({a=string, b=optional(number)}))", "{\"a\":\"1\",\"b\":null}"},
    {"convert(sensitive_free, string)", "ERR: There is no variable named \"sensitive_free\"."},
};

TEST(Conversion, MatchesHcl) {
  for (const auto& c : kOracle) {
    std::string want = c.want;
    if (want.rfind("ERR: ", 0) == 0) want = "ERR: " + collapse_spaces(want.substr(5));
    EXPECT_EQ(eval_call(c.expr, ctx()), want) << c.expr;
  }
}

// Through the evaluator, which hands can/try/convert their expressions via
// hcl::Function::expr_call: the same outcomes, also when nested.
TEST(Conversion, ThroughTheEvaluator) {
  for (const auto& c : kOracle) {
    std::string want = c.want;
    if (want.rfind("ERR: ", 0) == 0) want = "ERR: " + collapse_spaces(want.substr(5));
    EXPECT_EQ(eval_outcome(c.expr, ctx()), want) << c.expr;
  }
  const Case nested[] = {
      {"jsonencode(try(obj.b, \"x\"))", "\"\\\"x\\\"\""},
      {"[for k in [\"a\", \"b\"] : can(obj[k])]", "[true,false]"},
      {"upper(convert(1, string))", "\"1\""},
      {"try(obj.b, obj.c, 3) + 1", "4"},
  };
  run_cases(nested, std::size(nested), ctx());
  // Where the diagnostics point: "Error in function call" at the name and
  // "(", "Not enough function arguments" at the ")".
  hcl::Diagnostics diags;
  auto n = hcl::syntax::parse_expression("try()", "t.hcl", hcl::Pos{}, diags);
  n->value(&ctx(), diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].subject->str(), "t.hcl:1,1-5");
  diags.clear();
  n = hcl::syntax::parse_expression("can()", "t.hcl", hcl::Pos{}, diags);
  n->value(&ctx(), diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "Not enough function arguments");
  EXPECT_EQ(diags[0].subject->str(), "t.hcl:1,5-6");
}

TEST(Conversion, TypeConstraintDiagnostics) {
  hcl::Diagnostics diags;
  auto node = hcl::syntax::parse_expression("list(string, number)", "t.hcl", hcl::Pos{}, diags);
  ASSERT_TRUE(node);
  auto t = type_constraint(*node, diags);
  EXPECT_FALSE(t);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "Invalid type specification");
  // The subject covers the extra arguments, the context the parentheses.
  ASSERT_TRUE(diags[0].subject && diags[0].context);
  EXPECT_EQ(diags[0].subject->str(), "t.hcl:1,14-20");
  EXPECT_EQ(diags[0].context->str(), "t.hcl:1,5-21");

  hcl::Diagnostics ok;
  auto n2 = hcl::syntax::parse_expression("map(object({a=list(number), b=optional(bool)}))",
                                          "t.hcl", hcl::Pos{}, ok);
  auto t2 = type_constraint(*n2, ok);
  ASSERT_TRUE(t2) << (ok.empty() ? "" : ok[0].detail);
  EXPECT_EQ(
      *t2, hcl::Type::map(hcl::Type::object(
               {{"a", hcl::Type::list(hcl::Type::number())}, {"b", hcl::Type::boolean()}}, {"b"})));
}

TEST(Conversion, TypeConstraintFromJson) {
  hcl::Diagnostics diags;
  hcl::File f =
      hcl::parse_json_file(R"json({"t": "map(list(string))", "bad": 1})json", "t.json", diags);
  ASSERT_FALSE(diags.has_errors());
  auto attrs = f.body->just_attributes(diags);
  auto t = type_constraint(*attrs.at("t").expr, diags);
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, hcl::Type::map(hcl::Type::list(hcl::Type::string())));
  EXPECT_FALSE(type_constraint(*attrs.at("bad").expr, diags));
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags.back().summary, "Invalid type specification");
}

}  // namespace
}  // namespace kiln::funcs::testing
