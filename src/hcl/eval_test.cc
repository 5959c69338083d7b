// The evaluator against HashiCorp's hcldec: eval_oracle_cases.inc holds
// hcldec's output (value or diagnostics with subject ranges) for each
// expression, and hand-built cases cover what hcldec cannot express
// (unknowns, marks, lists/sets/maps, typed function parameters).
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "hcl/ast.h"
#include "hcl/eval_context.h"

namespace kiln::hcl::syntax {
namespace {

struct OracleDiag {
  const char* summary;
  const char* detail;
  const char* range;  // "l,c-l,c" of the subject
};

struct OracleCase {
  const char* mode;
  const char* expr;
  const char* json;  // "" when diagnostics are expected
  std::vector<OracleDiag> diags;
};

const std::vector<OracleCase>& oracle_cases() {
  static const std::vector<OracleCase> cases = {
#include "hcl/eval_oracle_cases.inc"
  };
  return cases;
}

// The functions of the oracle's spec file (hcl userfunc): dynamic params
// that do not allow null or unknown values.
Function userfunc_first() {
  Function f;
  f.params = {FunctionParam{"a", Type::dynamic()}, FunctionParam{"b", Type::dynamic()}};
  f.type = [](const std::vector<Value>& args, FunctionError*) -> std::optional<Type> {
    return args[0].type();
  };
  f.impl = [](const std::vector<Value>& args, const Type&, FunctionError*) -> std::optional<Value> {
    return args[0];
  };
  return f;
}

Function userfunc_rest() {
  Function f;
  f.params = {FunctionParam{"a", Type::dynamic()}};
  f.var_param = FunctionParam{"r", Type::dynamic()};
  f.type = [](const std::vector<Value>& args, FunctionError*) -> std::optional<Type> {
    std::vector<Type> tys;
    for (size_t i = 1; i < args.size(); ++i) tys.push_back(args[i].type());
    return Type::tuple(tys);
  };
  f.impl = [](const std::vector<Value>& args, const Type&, FunctionError*) -> std::optional<Value> {
    return Value::tuple(std::vector<Value>(args.begin() + 1, args.end()));
  };
  return f;
}

constexpr const char* kOracleVars =
    R"({"x": 1, "y": 2.5, "s": "hello", "l": [1, 2, 3], "e": [], "eo": {},
        "o": {"a": 1, "b": "two", "c": [true, false]}, "n": null, "t": true, "f": false,
        "objs": [{"name": "a", "v": 1}, {"name": "b", "v": 2}],
        "nested": {"inner": {"deep": "v"}}, "big": 12345678901234567890,
        "strs": ["a", "b", "a"]})";

std::string range_str(const std::optional<Range>& r) {
  if (!r) return "";
  return std::to_string(r->start.line) + "," + std::to_string(r->start.column) + "-" +
         std::to_string(r->end.line) + "," + std::to_string(r->end.column);
}

struct Evaluated {
  Value val;
  Diagnostics diags;
};

// Parses src as hcldec's input "a = <src>" would place it (line 1, column 5).
Evaluated eval(const std::string& src, const EvalContext* ctx) {
  Evaluated out;
  auto expr = parse_expression(src, intern_filename("in.hcl"), Pos{1, 5, 4}, out.diags);
  if (out.diags.has_errors() || !expr) return out;
  out.val = expr->value(ctx, out.diags);
  return out;
}

std::string diags_str(const Diagnostics& diags) {
  std::string s;
  for (const auto& d : diags) s += d.summary + ": " + d.detail + " @" + range_str(d.subject) + "\n";
  return s;
}

TEST(EvalOracle, MatchesHcldec) {
  EvalContext funcs;
  funcs.functions["first"] = userfunc_first();
  funcs.functions["rest"] = userfunc_rest();
  EvalContext full = funcs;
  std::string err;
  auto vars = value_from_json(kOracleVars, Type::dynamic(), &err);
  ASSERT_TRUE(vars) << err;
  for (const auto& [k, v] : vars->attributes()) full.variables[k] = v;

  size_t checked = 0;
  for (const auto& c : oracle_cases()) {
    ++checked;
    const std::string mode = c.mode;
    const EvalContext* ctx = mode == "none" ? nullptr : mode == "funcs" ? &funcs : &full;
    // A heredoc's closing marker needs the newline the oracle's file has.
    std::string src = c.expr;
    if (src.find("<<") != std::string::npos) src += "\n";
    Evaluated got = eval(src, ctx);
    SCOPED_TRACE(std::string("expression: ") + c.expr);
    if (c.diags.empty()) {
      EXPECT_FALSE(got.diags.has_errors()) << diags_str(got.diags);
      if (!got.diags.has_errors()) {
        EXPECT_EQ(value_to_json(got.val), c.json);
      }
      continue;
    }
    // Compared as a set: HCL 2.24 (which kiln follows) reports an
    // operator's conversion errors before its operands' own errors, while
    // the 2.14 oracle interleaves them.
    ASSERT_EQ(got.diags.size(), c.diags.size()) << diags_str(got.diags);
    std::multiset<std::string> want_set, got_set;
    for (size_t i = 0; i < c.diags.size(); ++i) {
      want_set.insert(std::string(c.diags[i].summary) + " | " + c.diags[i].detail + " | " +
                      c.diags[i].range);
      got_set.insert(got.diags[i].summary + " | " + got.diags[i].detail + " | " +
                     range_str(got.diags[i].subject));
    }
    EXPECT_EQ(got_set, want_set);
  }
  EXPECT_GT(checked, 200u);
}

// --- hand-built cases --------------------------------------------------------

EvalContext vars_ctx(std::map<std::string, Value> vars) {
  EvalContext ctx;
  ctx.variables = std::move(vars);
  return ctx;
}

TEST(Eval, UnknownOperandsGiveUnknownResults) {
  auto ctx = vars_ctx({{"u", Value::unknown(Type::number())}, {"d", Value::dynamic_unknown()}});
  auto r = eval("u + 1", &ctx);
  EXPECT_FALSE(r.diags.has_errors());
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::number())));
  r = eval("d == 1", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::boolean())));
  r = eval("u > 1 ? \"a\" : \"b\"", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::string())));
  r = eval("\"x${u}\"", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::string())));
  r = eval("[for x in d: x]", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::dynamic_unknown()));
  r = eval("d[*].a", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::dynamic_unknown()));
  r = eval("{(d) = 1}", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::dynamic_unknown()));
}

TEST(Eval, LogicalOperatorsShortCircuitAsHcl224) {
  // HCL 2.22+: a deciding side drops the other side's diagnostics.
  auto ctx =
      vars_ctx({{"x", Value::null(Type::dynamic())}, {"u", Value::unknown(Type::boolean())}});
  auto r = eval("x == null || x.a", &ctx);
  EXPECT_TRUE(r.diags.empty()) << diags_str(r.diags);
  EXPECT_TRUE(r.val.raw_equals(Value::boolean(true)));
  r = eval("x != null && x.a", &ctx);
  EXPECT_TRUE(r.diags.empty()) << diags_str(r.diags);
  EXPECT_TRUE(r.val.raw_equals(Value::boolean(false)));
  r = eval("x.a || true", &ctx);
  EXPECT_TRUE(r.diags.empty()) << diags_str(r.diags);
  EXPECT_TRUE(r.val.raw_equals(Value::boolean(true)));
  // Nothing decides: the error stays.
  r = eval("x == null && x.a", &ctx);
  ASSERT_TRUE(r.diags.has_errors());
  EXPECT_EQ(r.diags[0].summary, "Attempt to get attribute from null value");
  // An unknown side with a non-deciding known side gives unknown.
  r = eval("u || false", &ctx);
  EXPECT_TRUE(r.diags.empty());
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::boolean())));
  // Conversion errors still win.
  r = eval("1 || x.a", &ctx);
  ASSERT_TRUE(r.diags.has_errors());
  EXPECT_EQ(r.diags[0].summary, "Invalid operand");
}

TEST(Eval, UnknownCollections) {
  auto ctx = vars_ctx({{"ul", Value::unknown(Type::list(Type::string()))},
                       {"um", Value::unknown(Type::map(Type::number()))},
                       {"uo", Value::unknown(Type::object({{"a", Type::boolean()}}))}});
  auto r = eval("ul[0]", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::string()))) << r.val.debug_string();
  r = eval("um.k", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::number()))) << r.val.debug_string();
  r = eval("uo.a", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::boolean()))) << r.val.debug_string();
  r = eval("ul[*]", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::list(Type::string())))) << r.val.debug_string();
}

TEST(Eval, ListsMapsAndSets) {
  auto ctx = vars_ctx({
      {"l", Value::list({Value::string("a"), Value::string("b")})},
      {"m", Value::map({{"k", Value::number(1)}})},
      {"st", Value::set({Value::number(2), Value::number(1)})},
      {"lo", Value::list({Value::object({{"a", Value::number(1)}})})},
      {"so", Value::set({Value::object({{"a", Value::number(1)}})})},
      {"el", Value::list_empty(Type::object({{"a", Type::number()}}))},
  });
  auto r = eval("l[1]", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::string("b")));
  r = eval("m.k + m[\"k\"]", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::number(2)));
  r = eval("m.z", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].summary, "Missing map element");
  EXPECT_EQ(r.diags[0].detail, "This map does not have an element with the key \"z\".");
  r = eval("m[\"z\"]", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail,
            "The given key does not identify an element in this collection value.");
  r = eval("st[0]", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail,
            "Elements of a set are identified only by their value and don't have any separate "
            "index or key to select with, so it's only possible to perform operations across all "
            "elements of the set.");
  r = eval("lo.a", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail,
            "Can't access attributes on a list of objects. Did you mean to access attribute \"a\" "
            "for a specific element of the list, or across all elements of the list?");
  r = eval("lo.b", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail,
            "Can't access attributes on a list of objects. Did you mean to access an attribute "
            "for a specific element of the list, or across all elements of the list?");
  r = eval("so.a", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail,
            "Can't access attributes on a set of objects. Did you mean to access an attribute "
            "across all elements of the set?");
  // Splats over lists give lists; over sets too; an empty list keeps the
  // element type of the result.
  r = eval("lo[*].a", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::list({Value::number(1)}))) << r.val.debug_string();
  r = eval("so[*].a", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::list({Value::number(1)}))) << r.val.debug_string();
  r = eval("el[*].a", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::list_empty(Type::number()))) << r.val.debug_string();
  // for over a set binds the element as key and value; over a map, the key.
  r = eval("[for k, v in st: k + v]", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::tuple({Value::number(2), Value::number(4)})))
      << r.val.debug_string();
  r = eval("[for k, v in m: k]", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::tuple({Value::string("k")})));
}

TEST(Eval, MarksPropagate) {
  auto secret = Value::string("pw").with_marks(kMarkSensitive);
  auto ctx = vars_ctx({{"p", secret},
                       {"n", Value::number(3).with_marks(kMarkSensitive)},
                       {"l", Value::tuple({Value::number(1)}).with_marks(kMarkSensitive)}});
  auto r = eval("\"x-${p}\"", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  EXPECT_EQ(r.val.unmarked().as_string(), "x-pw");
  r = eval("n + 1", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  EXPECT_TRUE(r.val.unmarked().raw_equals(Value::number(4)));
  r = eval("n > 1", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("p == \"pw\"", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("l[0]", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("[for x in l: x]", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("l[*]", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("{(p) = 1}", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("true ? p : \"a\"", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("{a = p}.a", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("p == \"pw\" ? 1 : 2", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  EXPECT_TRUE(r.val.unmarked().raw_equals(Value::number(1)));
  r = eval("[for x in [1, 2]: x if x == n - 2]", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("!(n > 1)", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  r = eval("-n", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  // Marks on an expanded argument move to its elements, then the result
  // (stripped before the call, re-applied after).
  ctx.functions["rest"] = userfunc_rest();
  r = eval("rest(0, l...)", &ctx);
  EXPECT_FALSE(r.diags.has_errors());
  EXPECT_TRUE(r.val.is_sensitive());
  EXPECT_TRUE(r.val.unmarked().raw_equals(Value::tuple({Value::number(1)})))
      << r.val.debug_string();
}

TEST(Eval, NestedSplatWithMixedTypesIsAnError) {
  auto ctx = vars_ctx({{"lo", Value::list({Value::object({{"a", Value::null(Type::number())}}),
                                           Value::object({{"a", Value::number(1)}})})}});
  auto r = eval("lo[*].a[*]", &ctx);
  ASSERT_EQ(r.diags.size(), 1u) << diags_str(r.diags);
  EXPECT_EQ(r.diags[0].summary, "Invalid nested splat expressions");
  EXPECT_TRUE(r.val.raw_equals(Value::dynamic_unknown()));
}

TEST(Eval, ConditionalCombinesAllMarks) {
  auto ctx = vars_ctx({{"p", Value::string("pw").with_marks(kMarkSensitive)},
                       {"ub", Value::unknown(Type::boolean())}});
  // The untaken branch's marks count too (HCL 2.24).
  auto r = eval("true ? \"a\" : p", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  EXPECT_EQ(r.val.unmarked().as_string(), "a");
  r = eval("ub ? p : \"b\"", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  EXPECT_FALSE(r.val.is_known());
  // Both branches null: null even with an unknown condition.
  r = eval("ub ? null : null", &ctx);
  EXPECT_TRUE(r.val.is_null());
  EXPECT_TRUE(r.val.is_known());
}

TEST(Eval, UnknownConditions) {
  auto ctx = vars_ctx({{"ub", Value::unknown(Type::boolean())}});
  auto r = eval("ub ? 1 : \"a\"", &ctx);
  EXPECT_FALSE(r.diags.has_errors());
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::string()))) << r.val.debug_string();
  r = eval("ub ? null : [1]", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::tuple({Type::number()}))))
      << r.val.debug_string();
  r = eval("[for x in [1, 2]: x if ub]", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::dynamic_unknown()));
  r = eval("{for x in [1, 2]: x => x if ub}", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::dynamic_unknown()));
  r = eval("\"%{if ub}a%{endif}\"", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::string()))) << r.val.debug_string();
  r = eval("{for x in [ub]: x => 1}", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::dynamic_unknown()));
}

TEST(Eval, VariablesExcludeForScope) {
  Diagnostics diags;
  auto e = parse_expression("[for k, v in coll: f(v, k, other.attr[0]) if v != z]",
                            intern_filename("v.hcl"), Pos{}, diags);
  ASSERT_FALSE(diags.has_errors());
  auto vars = e->variables();
  std::vector<std::string> roots;
  for (const auto& t : vars) roots.push_back(t.root_name());
  EXPECT_EQ(roots, (std::vector<std::string>{"coll", "other", "z"}));
  ASSERT_EQ(vars[1].steps.size(), 3u);

  e = parse_expression("{a = b, (c) = d, e.f = 1}", intern_filename("v.hcl"), Pos{}, diags);
  roots.clear();
  for (const auto& t : e->variables()) roots.push_back(t.root_name());
  EXPECT_EQ(roots, (std::vector<std::string>{"b", "c", "d", "e"}));

  e = parse_expression("x[*].y[z]", intern_filename("v.hcl"), Pos{}, diags);
  roots.clear();
  for (const auto& t : e->variables()) roots.push_back(t.root_name());
  EXPECT_EQ(roots, (std::vector<std::string>{"x", "z"}));
}

struct VarRefsCase {
  const char* expr;
  std::vector<std::string> refs;  // "root l,c-l,c kinds" as hcldec --var-refs
};

TEST(EvalOracle, VariablesMatchHcldecVarRefs) {
  const std::vector<VarRefsCase> cases = {
#include "hcl/eval_varrefs_cases.inc"
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string("expression: ") + c.expr);
    Diagnostics diags;
    auto e = parse_expression(c.expr, intern_filename("in.hcl"), Pos{1, 5, 4}, diags);
    ASSERT_FALSE(diags.has_errors()) << diags_str(diags);
    std::vector<std::string> got;
    for (const auto& t : e->variables()) {
      std::string kinds;
      for (const auto& s : t.steps) {
        kinds += s.kind == TraversalStep::Kind::Root    ? 'r'
                 : s.kind == TraversalStep::Kind::Attr  ? 'a'
                 : s.kind == TraversalStep::Kind::Index ? 'i'
                                                        : 's';
      }
      got.push_back(t.root_name() + " " + range_str(t.range()) + " " + kinds);
    }
    EXPECT_EQ(got, c.refs);
  }
}

TEST(Eval, TypedFunctionParameters) {
  EvalContext ctx;
  Function upper;
  upper.params = {FunctionParam{"str", Type::string()}};
  upper.type = [](const std::vector<Value>&, FunctionError*) -> std::optional<Type> {
    return Type::string();
  };
  upper.impl = [](const std::vector<Value>& a, const Type&,
                  FunctionError* err) -> std::optional<Value> {
    if (a[0].as_string() == "bad") {
      err->message = "bad input";
      err->arg_index = 0;
      return std::nullopt;
    }
    if (a[0].as_string() == "boom") {
      err->message = "it broke";
      return std::nullopt;
    }
    std::string s = a[0].as_string();
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return Value::string(s);
  };
  ctx.functions["upper"] = upper;
  ctx.variables["u"] = Value::unknown(Type::string());
  ctx.variables["p"] = Value::string("pw").with_marks(kMarkSensitive);

  auto r = eval("upper(1)", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::string("1")));
  r = eval("upper([1])", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].summary, "Invalid function argument");
  EXPECT_EQ(r.diags[0].detail, "Invalid value for \"str\" parameter: string required.");
  // hcl points at the argument's StartRange: a tuple's opening bracket.
  EXPECT_EQ(range_str(r.diags[0].subject), "1,11-1,12");
  EXPECT_EQ(range_str(r.diags[0].context), "1,5-1,15");
  // A template argument is reported from its first part (hcl's StartRange).
  r = eval("upper(\"bad\")", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail, "Invalid value for \"str\" parameter: bad input.");
  EXPECT_EQ(range_str(r.diags[0].subject), "1,12-1,15");
  r = eval("upper(\"boom\")", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].summary, "Error in function call");
  EXPECT_EQ(r.diags[0].detail, "Call to function \"upper\" failed: it broke.");
  EXPECT_EQ(range_str(r.diags[0].subject), "1,5-1,11");
  // Unary operators and splats start at their symbol (hcl's StartRange).
  Function want_bool;
  want_bool.params = {FunctionParam{"b", Type::boolean()}};
  want_bool.type = [](const std::vector<Value>&, FunctionError*) -> std::optional<Type> {
    return Type::boolean();
  };
  want_bool.impl = [](const std::vector<Value>& a, const Type&,
                      FunctionError*) -> std::optional<Value> { return a[0]; };
  ctx.functions["want_bool"] = want_bool;
  r = eval("want_bool(-1)", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail, "Invalid value for \"b\" parameter: bool required.");
  EXPECT_EQ(range_str(r.diags[0].subject), "1,15-1,16");
  r = eval("want_bool([1][*])", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(range_str(r.diags[0].subject), "1,18-1,21");
  r = eval("want_bool((1))", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(range_str(r.diags[0].subject), "1,16-1,17");
  r = eval("want_bool(1 + 1)", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(range_str(r.diags[0].subject), "1,15-1,16");
  r = eval("upper(u)", &ctx);
  EXPECT_TRUE(r.val.raw_equals(Value::unknown(Type::string())));
  r = eval("upper(p)", &ctx);
  EXPECT_TRUE(r.val.is_sensitive());
  EXPECT_EQ(r.val.unmarked().as_string(), "PW");
}

TEST(Eval, ExpressionFunctionsGetUnevaluatedArguments) {
  EvalContext ctx;
  ctx.variables["o"] = Value::object({{"a", Value::string("x")}});
  Function try_fn;
  Range seen_call, seen_name;
  try_fn.expr_call = [&](const std::vector<const Expression*>& args, const EvalContext* c,
                         const Range& call_range, const Range& name_range,
                         Diagnostics& diags) -> Value {
    seen_call = call_range;
    seen_name = name_range;
    for (const Expression* e : args) {
      Diagnostics d;
      Value v = e->value(c, d);
      if (!d.has_errors()) return v;
    }
    diags.error("Error in function call", "no expression succeeded", call_range);
    return Value::dynamic_unknown();
  };
  ctx.functions["try"] = try_fn;
  auto r = eval("try(o.b, o.a)", &ctx);
  EXPECT_TRUE(r.diags.empty()) << diags_str(r.diags);
  EXPECT_TRUE(r.val.raw_equals(Value::string("x")));
  EXPECT_EQ(range_str(seen_call), "1,5-1,18");
  EXPECT_EQ(range_str(seen_name), "1,5-1,8");
  r = eval("try(o.b)", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail, "no expression succeeded");
}

TEST(Eval, SuggestionsCountCharactersNotBytes) {
  auto ctx = vars_ctx({{"\u00e4\u00e4b", Value::number(1)}, {"zzzzzz", Value::number(2)}});
  auto r = eval("b", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail, "There is no variable named \"b\". Did you mean \"\u00e4\u00e4b\"?");
  r = eval("zzzz", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail, "There is no variable named \"zzzz\". Did you mean \"zzzzzz\"?");
  r = eval("zzz", &ctx);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail, "There is no variable named \"zzz\".");
}

TEST(Eval, UnknownFunctionSuggestsFromTheScopeThatHasFunctions) {
  // As hcl.EvalContext: a child scope (for expressions, templates) has no
  // functions of its own; the suggestion comes from the scope that has them.
  EvalContext root;
  root.functions["upper"] = userfunc_first();
  EvalContext scope = root.child();
  auto r = eval("uper(1)", &scope);
  ASSERT_EQ(r.diags.size(), 1u) << diags_str(r.diags);
  EXPECT_EQ(r.diags[0].detail, "There is no function named \"uper\". Did you mean \"upper\"?");
}

TEST(Eval, NamespacedFunctionNames) {
  EvalContext ctx;
  ctx.functions["provider::x::foo"] = userfunc_first();
  auto r = eval("provider::x::fo(1)", &ctx);
  ASSERT_EQ(r.diags.size(), 1u) << diags_str(r.diags);
  EXPECT_EQ(r.diags[0].summary, "Call to unknown function");
  EXPECT_EQ(r.diags[0].detail, "There is no function named \"fo\" in namespace provider::x::.");
  EXPECT_EQ(range_str(r.diags[0].subject), "1,5-1,20");
  r = eval("nope::f(1)", &ctx);
  ASSERT_EQ(r.diags.size(), 1u) << diags_str(r.diags);
  EXPECT_EQ(r.diags[0].detail, "There are no functions in namespace \"nope::\".");
  r = eval("provider::x::foo(1, 2)", &ctx);
  EXPECT_FALSE(r.diags.has_errors()) << diags_str(r.diags);
  EXPECT_TRUE(r.val.raw_equals(Value::number(1)));
}

TEST(Eval, AnonSymbolAloneIsDynamic) {
  AnonSymbolExpr a;
  Diagnostics diags;
  EXPECT_TRUE(a.value(nullptr, diags).raw_equals(Value::dynamic_unknown()));
  EXPECT_TRUE(diags.empty());
}

}  // namespace
}  // namespace kiln::hcl::syntax
