// JSON expressions: static analyses (traversals, keywords, lists, maps) and
// literal values, compared with HashiCorp's implementation (the table in
// json_golden_expr.inc was produced with hcl/json 2.14.1, parsing each
// source with ParseExpressionWithStartPos at line 3, column 5, byte 20).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hcl/json_syntax.h"
#include "hcl/parse.h"

namespace kiln::hcl {
namespace {

struct ExprCase {
  const char* src;
  std::vector<std::string> parse_diags;
  const char* range;
  const char* start_range;
  const char* traversal;
  std::vector<std::string> traversal_diags;
  const char* keyword;
  size_t list_len;
  std::vector<std::string> map;  // key@key range=value range
  const char* value;             // JSON of the literal value; "" if unknown
};

const ExprCase kExprCases[] = {
#include "hcl/json_golden_expr.inc"
};

std::string pos_str(const Pos& p) {
  return std::to_string(p.line) + "," + std::to_string(p.column) + "," + std::to_string(p.byte);
}
std::string range_str(const Range& r) {
  return pos_str(r.start) + "-" + pos_str(r.end);
}
std::string diag_str(const Diagnostic& d) {
  return d.summary + "|" + d.detail + "|" + (d.subject ? range_str(*d.subject) : "") + "|" +
         (d.context ? range_str(*d.context) : "");
}
std::vector<std::string> diag_strs(const Diagnostics& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(diag_str(d));
  return out;
}

std::string literal_json(const Value& v) {
  if (!v.is_known()) return "";
  if (v.is_null()) return "null";
  const Type& t = v.type();
  if (t == Type::boolean()) return v.as_bool() ? "true" : "false";
  if (t == Type::number()) return v.as_number().str();
  if (t == Type::string()) {
    std::string out = "\"";
    for (char c : v.as_string()) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }
  std::string out;
  if (t.is_tuple()) {
    for (const auto& e : v.elements()) out += (out.empty() ? "" : ",") + literal_json(e);
    return "[" + out + "]";
  }
  for (const auto& [k, e] : v.attributes()) {
    out += (out.empty() ? "" : ",") + literal_json(Value::string(k)) + ":" + literal_json(e);
  }
  return "{" + out + "}";
}

std::string traversal_str(const Traversal& t) {
  std::string out;
  for (const auto& st : t.steps) {
    if (!out.empty()) out += "/";
    switch (st.kind) {
      case TraversalStep::Kind::Root:
        out += "root " + st.name;
        break;
      case TraversalStep::Kind::Attr:
        out += "attr " + st.name;
        break;
      default:
        out += "index " + literal_json(st.key);
        break;
    }
    out += "@" + range_str(st.range);
  }
  return out;
}

TEST(JsonExpr, StaticAnalysesMatchHcl) {
  for (const auto& c : kExprCases) {
    SCOPED_TRACE(std::string("source: ") + c.src);
    Diagnostics d;
    ExpressionPtr e = json::parse_expression(c.src, "e.json", Pos{3, 5, 20}, d);
    ASSERT_TRUE(e);
    EXPECT_TRUE(json::is_json_expression(*e));
    EXPECT_EQ(diag_strs(d), c.parse_diags);
    EXPECT_EQ(range_str(e->range()), c.range);
    EXPECT_EQ(range_str(e->start_range()), c.start_range);

    Diagnostics td;
    auto t = json::abs_traversal_for_expr(*e, td);
    EXPECT_EQ(t ? traversal_str(*t) : "", c.traversal);
    EXPECT_EQ(diag_strs(td), c.traversal_diags);
    EXPECT_EQ(json::expr_as_keyword(*e), c.keyword);

    auto list = json::expr_list(*e);
    EXPECT_EQ(list ? list->size() : 0, c.list_len);
    std::vector<std::string> map;
    if (auto m = json::expr_map(*e)) {
      for (const auto& [k, v] : *m) {
        Diagnostics kd;
        Value kv = k->value(nullptr, kd);
        map.push_back(kv.as_string() + "@" + range_str(k->range()) + "=" + range_str(v->range()));
      }
    }
    EXPECT_EQ(map, c.map);

    Diagnostics vd;
    EXPECT_EQ(literal_json(e->value(nullptr, vd)), c.value);
    EXPECT_TRUE(vd.empty());
  }
}

TEST(JsonExpr, ListElementsShareTheTree) {
  Diagnostics d;
  ExpressionPtr e = json::parse_expression(R"(["a", {"b": 2}])", "e.json", Pos{}, d);
  auto list = json::expr_list(*e);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  e.reset();  // the elements keep the tree alive
  Diagnostics vd;
  EXPECT_EQ(literal_json((*list)[0]->value(nullptr, vd)), "\"a\"");
  EXPECT_EQ(literal_json((*list)[1]->value(nullptr, vd)), "{\"b\":2}");
  EXPECT_EQ(range_str((*list)[1]->range()), "1,7,6-1,15,14");
}

TEST(JsonExpr, NotJsonExpressionsHaveNoJsonAnalyses) {
  Diagnostics d;
  File f = parse_native_file("a = [1]\n", "x.hcl", d);
  ASSERT_TRUE(f.body);
  Attributes attrs = f.body->just_attributes(d);
  ASSERT_EQ(attrs.count("a"), 1u);
  const Expression& e = *attrs.at("a").expr;
  EXPECT_FALSE(json::is_json_expression(e));
  EXPECT_FALSE(json::as_traversal(e).has_value());
  EXPECT_FALSE(json::expr_list(e).has_value());
  EXPECT_FALSE(json::native_expression_in_string(e));
}

TEST(JsonExpr, NativeTraversalsForAbsTraversal) {
  Diagnostics d;
  File f = parse_native_file("a = foo.bar[0]\nb = null\nc = baz\nd = f(x)\n", "x.hcl", d);
  ASSERT_FALSE(d.has_errors());
  Attributes attrs = f.body->just_attributes(d);
  Diagnostics td;
  auto t = json::abs_traversal_for_expr(*attrs.at("a").expr, td);
  ASSERT_TRUE(t);
  EXPECT_EQ(traversal_str(*t),
            "root foo@1,5,4-1,8,7/attr bar@1,8,7-1,12,11/index 0@1,12,11-1,15,14");
  EXPECT_EQ(json::expr_as_keyword(*attrs.at("b").expr), "null");
  EXPECT_EQ(json::expr_as_keyword(*attrs.at("c").expr), "baz");
  EXPECT_EQ(json::expr_as_keyword(*attrs.at("d").expr), "");
  EXPECT_FALSE(json::abs_traversal_for_expr(*attrs.at("d").expr, td));
  ASSERT_EQ(td.size(), 1u);
  EXPECT_EQ(td[0].summary, "Invalid expression");
  EXPECT_EQ(range_str(*td[0].subject), "4,5,36-4,9,40");
}

TEST(JsonExpr, NativeExpressionInString) {
  Diagnostics d;
  ExpressionPtr e = json::parse_expression(R"x("f(1, 2)")x", "e.json", Pos{}, d);
  ExpressionPtr inner = json::native_expression_in_string(*e);
  ASSERT_TRUE(inner);
  EXPECT_EQ(range_str(inner->range()), "1,1,0-1,8,7");
  ExpressionPtr bad = json::parse_expression(R"x("f(")x", "e.json", Pos{}, d);
  EXPECT_FALSE(json::native_expression_in_string(*bad));
  ExpressionPtr num = json::parse_expression("1", "e.json", Pos{}, d);
  EXPECT_FALSE(json::native_expression_in_string(*num));
}

TEST(JsonExpr, NumbersKeepFullPrecision) {
  Diagnostics d;
  ExpressionPtr e = json::parse_expression("[0.1, 1e400, 123456789012345678901234567890, -0.0]",
                                           "e.json", Pos{}, d);
  ASSERT_TRUE(d.empty());
  Value v = e->value(nullptr, d);
  ASSERT_EQ(v.elements().size(), 4u);
  EXPECT_EQ(v.elements()[0].as_number().str(), "0.1");
  EXPECT_EQ(v.elements()[1].as_number().str(), "1" + std::string(400, '0'));
  EXPECT_EQ(v.elements()[2].as_number().str(), "123456789012345678901234567890");
}

TEST(JsonExpr, StringsAreLiteralWithoutContext) {
  Diagnostics d;
  ExpressionPtr e = json::parse_expression(R"({"${k}": "${v} %{if}"})", "e.json", Pos{}, d);
  Value v = e->value(nullptr, d);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(literal_json(v), R"({"${k}":"${v} %{if}"})");
}

TEST(JsonExpr, TemplatesWithContext) {
  EvalContext ctx;
  ctx.variables["name"] = Value::string("kiln");
  ctx.variables["n"] = Value::number(int64_t{2});
  ctx.variables["u"] = Value::unknown(Type::string());
  Diagnostics d;
  ExpressionPtr e = json::parse_expression(
      R"({"greeting": "hi ${name}", "num": "${n * 3}", "esc": "$${x}", "plain": "a%b$c"})",
      "e.json", Pos{}, d);
  Value v = e->value(&ctx, d);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].summary);
  EXPECT_EQ(literal_json(v), R"({"esc":"${x}","greeting":"hi kiln","num":6,"plain":"a%b$c"})");

  // An unknown key makes the whole object unknown.
  ExpressionPtr u = json::parse_expression(R"({"${u}": 1, "k": 2})", "e.json", Pos{}, d);
  Value uv = u->value(&ctx, d);
  EXPECT_TRUE(d.empty());
  EXPECT_FALSE(uv.is_known());
  EXPECT_TRUE(uv.type().is_dynamic());

  auto vars = e->variables();
  ASSERT_EQ(vars.size(), 2u);
  EXPECT_EQ(vars[0].root_name(), "name");
  EXPECT_EQ(vars[1].root_name(), "n");
}

TEST(JsonExpr, TemplateParseErrorsGiveUnknown) {
  EvalContext ctx;
  ctx.variables["x"] = Value::number(int64_t{1});
  Diagnostics d;
  ExpressionPtr e = json::parse_expression(R"(["${", "ok"])", "e.json", Pos{}, d);
  Value v = e->value(&ctx, d);
  ASSERT_TRUE(d.has_errors());
  EXPECT_EQ(d[0].summary, "Missing expression");
  ASSERT_EQ(v.elements().size(), 2u);
  EXPECT_FALSE(v.elements()[0].is_known());
  EXPECT_EQ(v.elements()[1].as_string(), "ok");
}

TEST(JsonExpr, InvalidNodesEvaluateToUnknown) {
  Diagnostics d;
  ExpressionPtr e = json::parse_expression("[1, tru]", "e.json", Pos{}, d);
  ASSERT_EQ(d.size(), 1u);
  Diagnostics vd;
  Value v = e->value(nullptr, vd);
  EXPECT_TRUE(vd.empty());
  ASSERT_EQ(v.elements().size(), 2u);
  EXPECT_FALSE(v.elements()[1].is_known());
}

}  // namespace
}  // namespace kiln::hcl
