// Golden tests: each case was run through HashiCorp's hcldec (HCL 2.14.1,
// whose json package matches 2.24) with the spec `object { attr "a" { type =
// any } }`, and its diagnostics (summary, detail, subject) or its output
// recorded in json_golden_cases.inc. Here the same decoding is done with
// kiln's JSON syntax and compared.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hcl/json_syntax.h"
#include "hcl/parse.h"

namespace kiln::hcl {
namespace {

struct GoldenCase {
  const char* src;
  const char* vars;  // JSON object of variables (an EvalContext), or null
  std::vector<std::string> diags;
  const char* result;  // hcldec's output when there were no errors
};

const GoldenCase kCases[] = {
#include "hcl/json_golden_cases.inc"
};

// Test-local JSON rendering and reading of values (as ctyjson does), so that
// these tests depend only on the value model's core.
std::string to_json(const Value& v) {
  if (v.is_null()) return "null";
  const Type& t = v.type();
  if (t == Type::boolean()) return v.as_bool() ? "true" : "false";
  if (t == Type::number()) return v.as_number().str();
  if (t == Type::string()) {
    std::string out = "\"";
    for (unsigned char c : v.as_string()) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  }
  std::string out;
  if (t.is_tuple() || t.is_list() || t.is_set()) {
    out = "[";
    for (const auto& e : v.elements()) out += (out.size() > 1 ? "," : "") + to_json(e);
    return out + "]";
  }
  out = "{";
  for (const auto& [k, e] : v.attributes()) {
    out += (out.size() > 1 ? "," : "") + to_json(Value::string(k)) + ":" + to_json(e);
  }
  return out + "}";
}

Value from_json(const nlohmann::json& j) {
  if (j.is_null()) return Value::null(Type::dynamic());
  if (j.is_boolean()) return Value::boolean(j.get<bool>());
  if (j.is_number()) return Value::number(*Number::parse(j.dump()));
  if (j.is_string()) return Value::string(j.get<std::string>());
  if (j.is_array()) {
    std::vector<Value> elems;
    for (const auto& e : j) elems.push_back(from_json(e));
    return Value::tuple(std::move(elems));
  }
  std::map<std::string, Value> attrs;
  for (const auto& [k, e] : j.items()) attrs.emplace(k, from_json(e));
  return Value::object(std::move(attrs));
}

std::string pos_str(const Pos& p) {
  return std::to_string(p.line) + "," + std::to_string(p.column) + "," + std::to_string(p.byte);
}

std::string diag_str(const Diagnostic& d) {
  std::string s = d.severity == Severity::Warning ? "W:" : "";
  s += d.summary + "|" + d.detail + "|";
  if (d.subject) s += pos_str(d.subject->start) + "-" + pos_str(d.subject->end);
  return s;
}

// What hcldec does for the spec above: parse; with errors stop; else decode
// attribute "a" and print {"a": value} (a null value is left out).
void run_case(const GoldenCase& c, std::vector<std::string>* diags, std::string* result) {
  Diagnostics d;
  File f = parse_file(c.src, "case.json", d);
  if (!d.has_errors()) {
    EvalContext ctx;
    const EvalContext* ctxp = nullptr;
    if (c.vars != nullptr) {
      nlohmann::json vars = nlohmann::json::parse(c.vars);
      for (const auto& [k, v] : vars.items()) {
        ctx.variables[k] = from_json(v);
      }
      ctxp = &ctx;
    }
    BodySchema schema;
    schema.attributes.push_back({"a", false});
    BodyContent content = f.body->content(schema, d);
    Value val = Value::null(Type::dynamic());
    auto it = content.attributes.find("a");
    if (it != content.attributes.end()) val = it->second.expr->value(ctxp, d);
    if (!d.has_errors()) {
      if (val.is_null()) {
        *result = "{}";
      } else {
        *result = "{\"a\":" + to_json(val) + "}";
      }
    }
  }
  for (const auto& x : d) diags->push_back(diag_str(x));
}

TEST(JsonGolden, MatchesHcldec) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(std::string("source: ") + c.src);
    std::vector<std::string> diags;
    std::string result;
    run_case(c, &diags, &result);
    EXPECT_EQ(diags, c.diags);
    if (c.result != nullptr && c.diags.empty()) {
      EXPECT_EQ(result, c.result);
    }
  }
}

// Blocks, with the spec
//   object {
//     block_list "b" { block_type = "b"  object { attr "x" { type = number } } }
//     block_map "m" { block_type = "m"  labels = ["k1", "k2"]
//                     object { attr "x" { type = number } } }
//   }
const GoldenCase kBlockCases[] = {
#include "hcl/json_golden_blocks.inc"
};

std::string block_object(const Block& b, Diagnostics& d) {
  BodySchema schema;
  schema.attributes.push_back({"x", false});
  BodyContent content = b.body->content(schema, d);
  auto it = content.attributes.find("x");
  if (it == content.attributes.end()) return "{\"x\":null}";
  Value v = it->second.expr->value(nullptr, d);
  std::string err;
  auto n = convert(v, Type::number(), &err);
  if (!n) return "?";
  return "{\"x\":" + to_json(*n) + "}";
}

void run_block_case(const GoldenCase& c, std::vector<std::string>* diags, std::string* result) {
  Diagnostics d;
  File f = parse_file(c.src, "case.json", d);
  if (!d.has_errors()) {
    BodySchema schema;
    schema.blocks.push_back({"b", {}});
    schema.blocks.push_back({"m", {"k1", "k2"}});
    BodyContent content = f.body->content(schema, d);
    std::string list;
    std::map<std::string, std::map<std::string, std::string>> map;
    for (const Block& b : content.blocks) {
      EXPECT_EQ(b.labels.size(), b.label_ranges.size());
      if (b.type == "b") {
        list += (list.empty() ? "" : ",") + block_object(b, d);
      } else {
        map[b.labels.at(0)][b.labels.at(1)] = block_object(b, d);
      }
    }
    std::string m;
    for (const auto& [k1, inner] : map) {
      std::string i;
      for (const auto& [k2, obj] : inner)
        i += (i.empty() ? "" : ",") + to_json(Value::string(k2)) + ":" + obj;
      m += (m.empty() ? "" : ",") + to_json(Value::string(k1)) + ":{" + i + "}";
    }
    *result = "{\"b\":[" + list + "],\"m\":{" + m + "}}";
  }
  for (const auto& x : d) diags->push_back(diag_str(x));
}

TEST(JsonGolden, BlocksMatchHcldec) {
  for (const auto& c : kBlockCases) {
    SCOPED_TRACE(std::string("source: ") + c.src);
    std::vector<std::string> diags;
    std::string result;
    run_block_case(c, &diags, &result);
    EXPECT_EQ(diags, c.diags);
    if (c.result != nullptr && c.diags.empty()) {
      EXPECT_EQ(result, c.result);
    }
  }
}

// hcldec --var-refs with the first spec: the traversals of attribute "a".
const GoldenCase kVarRefCases[] = {
#include "hcl/json_golden_varrefs.inc"
};

std::string range_str(const Range& r) {
  return pos_str(r.start) + "-" + pos_str(r.end);
}

TEST(JsonGolden, VarRefsMatchHcldec) {
  for (const auto& c : kVarRefCases) {
    SCOPED_TRACE(std::string("source: ") + c.src);
    Diagnostics d;
    File f = parse_file(c.src, "case.json", d);
    ASSERT_FALSE(d.has_errors());
    BodySchema schema;
    schema.attributes.push_back({"a", false});
    BodyPtr remain;
    BodyContent content = f.body->partial_content(schema, &remain, d);
    std::string out;
    auto it = content.attributes.find("a");
    if (it != content.attributes.end()) {
      for (const Traversal& t : it->second.expr->variables()) {
        std::string steps;
        for (const TraversalStep& st : t.steps) {
          if (!steps.empty()) steps += "/";
          switch (st.kind) {
            case TraversalStep::Kind::Root:
              steps += "root " + st.name;
              break;
            case TraversalStep::Kind::Attr:
              steps += "attr " + st.name;
              break;
            default:
              steps += "index " + to_json(st.key);
              break;
          }
          steps += "@" + range_str(st.range);
        }
        if (!out.empty()) out += ";";
        out += steps + "@" + range_str(t.range());
      }
    }
    EXPECT_EQ(out, c.result);
  }
}

}  // namespace
}  // namespace kiln::hcl
