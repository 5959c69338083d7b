// Tests of the hcldec spec decoder, spec files, merged bodies and the JSON
// writers. Expected values are what HashiCorp's hcldec (build/go/hcldec)
// prints for the same spec and input.
#include <gtest/gtest.h>

#include "hcl/parse.h"
#include "hcldec/json_out.h"
#include "hcldec/merged.h"
#include "hcldec/spec.h"
#include "hcldec/spec_file.h"

namespace kiln::hcldec {
namespace {

struct Outcome {
  std::string json;  // value_to_json of the result, nulls stripped
  Diagnostics diags;
};

Outcome run(const std::string& spec_src, const std::string& input,
            const std::string& input_name = "in.hcl") {
  Outcome r;
  SpecFile spec = load_spec_source(spec_src, "spec.hcldec", r.diags);
  if (r.diags.has_errors()) return r;
  hcl::File f = hcl::parse_file(input, input_name, r.diags);
  if (r.diags.has_errors()) return r;
  const EvalContext* ctx = nullptr;
  EvalContext c;
  c.variables = spec.variables;
  c.functions = spec.functions;
  if (!c.variables.empty() || !c.functions.empty()) ctx = &c;
  Value v = decode(*f.body, *spec.root, ctx, r.diags);
  if (!r.diags.has_errors()) r.json = strip_json_nulls(hcl::value_to_json(v));
  return r;
}

std::vector<std::string> summaries(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d) out.push_back(x.summary);
  std::sort(out.begin(), out.end());
  return out;
}

const char* kStructureSpec = R"(
object {
  attr "name" {
    type = string
  }
  block_list "item" {
    object {
      attr "v" {
        type = any
      }
    }
  }
  block_map "res" {
    labels = ["kind", "name"]
    attr {
      name = "v"
      type = string
    }
  }
  block_set "tag" {
    attr {
      name = "k"
      type = string
    }
  }
}
)";

TEST(HcldecDecode, ObjectWithBlocks) {
  Outcome r = run(kStructureSpec, R"(
name = "demo"
item {
  v = 1
}
item {
  v = "two"
}
res "server" "web" {
  v = "w"
}
res "volume" "data" {
  v = 10
}
tag {
  k = "b"
}
tag {
  k = "a"
}
tag {
  k = "a"
}
)");
  ASSERT_FALSE(r.diags.has_errors()) << r.diags[0].summary;
  // Block list elements unify to string; the set dedupes and sorts.
  EXPECT_EQ(r.json, R"({"item":[{"v":"1"},{"v":"two"}],"name":"demo","res":{"server":{"web":"w"},)"
                    R"("volume":{"data":"10"}},"tag":["a","b"]})");
}

TEST(HcldecDecode, EmptyBodyGivesEmptyCollections) {
  Outcome r = run(kStructureSpec, "");
  ASSERT_FALSE(r.diags.has_errors());
  EXPECT_EQ(r.json, R"({"item":[],"res":{},"tag":[]})");
}

TEST(HcldecDecode, DuplicateMapBlockAndWrongLabels) {
  Outcome r =
      run(kStructureSpec, "res \"a\" \"b\" {\n  v = \"1\"\n}\nres \"a\" \"b\" {\n  v = \"2\"\n}\n");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].summary, "Duplicate res block");
  ASSERT_TRUE(r.diags[0].subject);
  EXPECT_EQ(r.diags[0].subject->start.line, 4);
  EXPECT_EQ(r.diags[0].subject->start.column, 1);
  EXPECT_EQ(r.diags[0].subject->end.column, 12);
}

TEST(HcldecDecode, AttributeConversionError) {
  Outcome r = run("attr {\n  name = \"a\"\n  type = number\n}\n", "a = \"x\"\n");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].summary, "Incorrect attribute value type");
  EXPECT_EQ(r.diags[0].detail, "Inappropriate value for attribute \"a\": a number is required.");
  EXPECT_EQ(r.diags[0].subject->start.byte, 4u);
  EXPECT_EQ(r.diags[0].subject->end.byte, 7u);
}

TEST(HcldecDecode, RequiredAndItemCounts) {
  const char* spec = R"(
object {
  attr "must" {
    type     = string
    required = true
  }
  block "b" {
    required = true
    attr {
      name = "x"
      type = number
    }
  }
  block_list "l" {
    min_items = 2
    max_items = 3
    attr {
      name = "v"
      type = number
    }
  }
}
)";
  Outcome missing = run(spec, "");
  EXPECT_EQ(summaries(missing.diags),
            (std::vector<std::string>{"Insufficient l blocks", "Missing b block",
                                      "Missing required argument"}));
  Outcome many = run(spec,
                     "must = \"y\"\nb {\n  x = 1\n}\nl {\n  v = 1\n}\nl {\n  v = 2\n}\n"
                     "l {\n  v = 3\n}\nl {\n  v = 4\n}\n");
  ASSERT_EQ(many.diags.size(), 1u);
  EXPECT_EQ(many.diags[0].summary, "Too many l blocks");
  // The fourth block's source range: its v attribute's expression.
  EXPECT_EQ(many.diags[0].subject->start.line, 15);
  Outcome ok = run(spec, "must = \"y\"\nb {\n  x = 1\n}\nl {\n  v = 1\n}\nl {\n  v = 2\n}\n");
  EXPECT_EQ(ok.json, R"({"b":1,"l":[1,2],"must":"y"})");
}

TEST(HcldecDecode, DefaultsTransformsLiteralsAndArrays) {
  Outcome d = run(R"(
object {
  default "x" {
    attr {
      name = "x"
      type = string
    }
    literal {
      value = "fallback"
    }
  }
  transform "t" {
    attr {
      name = "n"
      type = number
    }
    result = nested * 2
  }
  array "arr" {
    literal {
      value = [1, "a"]
    }
  }
}
)",
                  "n = 21\n");
  ASSERT_FALSE(d.diags.has_errors());
  EXPECT_EQ(d.json, R"({"arr":[[1,"a"]],"t":42,"x":"fallback"})");
}

TEST(HcldecDecode, UserFunctionsAndSpecVariables) {
  Outcome r = run(R"(
function "double" {
  params = [n]
  result = n * 2
}
variables {
  base = 10
}
attr {
  name = "a"
  type = any
}
)",
                  "a = double(base) + 1\n");
  ASSERT_FALSE(r.diags.has_errors()) << r.diags[0].summary;
  EXPECT_EQ(r.json, "21");
}

TEST(HcldecSpecFile, Errors) {
  Diagnostics d1;
  load_spec_source("# nothing\n", "s.hcldec", d1);
  EXPECT_EQ(summaries(d1), std::vector<std::string>{"Missing spec block"});
  Diagnostics d2;
  load_spec_source("attr {\n  type = any\n}\n", "s.hcldec", d2);
  EXPECT_EQ(summaries(d2), std::vector<std::string>{"Missing name in attribute spec"});
  Diagnostics d3;
  load_spec_source(
      "block_map {\n  block_type = \"m\"\n  labels = [\"k\"]\n  attr {\n"
      "    name = \"x\"\n    type = any\n  }\n}\n",
      "s.hcldec", d3);
  EXPECT_EQ(summaries(d3), std::vector<std::string>{"Invalid block_map spec"});
  Diagnostics d4;
  load_spec_source("attr {\n  name = \"a\"\n  required = \"perhaps\"\n}\n", "s.hcldec", d4);
  ASSERT_EQ(summaries(d4), std::vector<std::string>{"Unsuitable value type"});
  // gohcl points at the template's first part, inside the quotes.
  EXPECT_EQ(d4[0].subject->start.column, 15);
  EXPECT_EQ(d4[0].subject->end.column, 22);
}

TEST(HcldecSpecFile, TypeExpressions) {
  auto type_of = [](const std::string& expr, Diagnostics& d) {
    SpecFile s =
        load_spec_source("attr {\n  name = \"a\"\n  type = " + expr + "\n}\n", "s.hcldec", d);
    return s.root->implied_type();
  };
  Diagnostics d;
  EXPECT_EQ(type_of("object({ x = string, y = list(number) })", d).json(),
            R"(["object",{"x":"string","y":["list","number"]}])");
  EXPECT_EQ(type_of("tuple([bool, any])", d).json(), R"(["tuple",["bool","dynamic"]])");
  EXPECT_EQ(type_of("map(set(string))", d).json(), R"(["map",["set","string"]])");
  EXPECT_FALSE(d.has_errors());
  Diagnostics bad;
  type_of("\"string\"", bad);
  EXPECT_EQ(summaries(bad), std::vector<std::string>{"Invalid type expression"});
  EXPECT_FALSE(bad[0].subject.has_value());
  Diagnostics unknown;
  type_of("strin", unknown);
  EXPECT_EQ(summaries(unknown),
            (std::vector<std::string>{"Invalid type expression", "Unknown variable"}));
}

TEST(HcldecMerged, DuplicatesAndRequired) {
  Diagnostics d;
  hcl::File a = hcl::parse_native_file("a = 1\n", "a.hcl", d);
  hcl::File b = hcl::parse_native_file("a = 2\nb = 3\n", "b.hcl", d);
  ASSERT_FALSE(d.has_errors());
  hcl::BodyPtr merged = merge_bodies({a.body, b.body});
  hcl::BodySchema schema;
  schema.attributes = {{"a", false}, {"b", false}, {"c", true}};
  hcl::BodyContent c = merged->content(schema, d);
  EXPECT_EQ(summaries(d),
            (std::vector<std::string>{"Duplicate argument", "Missing required argument"}));
  for (const auto& x : d) {
    if (x.summary == "Missing required argument") {
      EXPECT_FALSE(x.subject.has_value());
    }
    if (x.summary == "Duplicate argument") {
      EXPECT_EQ(x.subject->filename, "b.hcl");
    }
  }
  EXPECT_EQ(c.attributes.size(), 2u);
  // Missing items in merged bodies point nowhere (line 0), as in hcl.
  EXPECT_EQ(c.missing_item_range.start.line, 0);
}

TEST(HcldecVariables, TraversalsInSourceOrder) {
  Diagnostics d;
  SpecFile s = load_spec_source("attr {\n  name = \"a\"\n  type = any\n}\n", "s.hcldec", d);
  hcl::File f = hcl::parse_native_file("a = [foo.bar, baz[0], 1]\n", "in.hcl", d);
  ASSERT_FALSE(d.has_errors());
  auto vars = variables(*f.body, *s.root);
  ASSERT_EQ(vars.size(), 2u);
  EXPECT_EQ(vars[0].root_name(), "foo");
  EXPECT_EQ(vars[1].root_name(), "baz");
}

TEST(HcldecJson, GoQuoting) {
  EXPECT_EQ(go_json_quote("a<b>&\"\\\n\x01"), R"("a\u003cb\u003e\u0026\"\\\n\u0001")");
  EXPECT_EQ(go_json_quote("\xff"), R"("\ufffd")");
  EXPECT_EQ(go_json_quote("\xe2\x80\xa8 é"), "\"\\u2028 é\"");
}

TEST(HcldecJson, IndentAndStrip) {
  EXPECT_EQ(go_json_indent(R"({"a":[1,{}],"b":[]})", "  "),
            "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}");
  EXPECT_EQ(strip_json_nulls(R"({"value":{"p":null,"q":[null,{"r":null}]},"type":"x"})"),
            R"({"type":"x","value":{"q":[null,{}]}})");
  EXPECT_EQ(strip_json_nulls("null"), "null");
  EXPECT_EQ(strip_json_nulls(R"({"a:b":1,"a":2})"), R"({"a":2,"a:b":1})");
}

TEST(HcldecSpecFunctions, Strings) {
  auto fns = spec_functions();
  hcl::FunctionError err;
  auto call = [&](const std::string& name, std::vector<Value> args) {
    auto v = hcl::call_function(fns.at(name), std::move(args), &err);
    return v ? hcl::value_to_json(*v) : "error: " + err.message;
  };
  EXPECT_EQ(call("upper", {Value::string("héllo")}), R"("HÉLLO")");
  EXPECT_EQ(call("strlen", {Value::string("e\xcc\x81x")}), "2");
  EXPECT_EQ(call("reverse", {Value::string("abc")}), R"("cba")");
  EXPECT_EQ(call("substr",
                 {Value::string("hello"), Value::number(int64_t{1}), Value::number(int64_t{3})}),
            R"("ell")");
  EXPECT_EQ(call("substr",
                 {Value::string("hello"), Value::number(int64_t{-3}), Value::number(int64_t{-1})}),
            R"("llo")");
  EXPECT_EQ(call("max", {Value::number(int64_t{1}), Value::number(int64_t{5})}), "5");
  EXPECT_EQ(call("max", {}), "error: must pass at least one number");
  EXPECT_EQ(call("int", {Value::number(*hcl::Number::parse("-2.7"))}), "-2");
  EXPECT_EQ(call("coalesce", {Value::null(Type::string()), Value::number(int64_t{3})}), R"("3")");
}

// Specs that cmd/hcldec's spec language cannot express, built directly.
// Expectations come from a Go program running hcldec.Decode on the same
// specs and inputs.
struct Built {
  std::string json;
  Diagnostics diags;
};

Built decode_built(const Spec& spec, const std::string& src) {
  Built b;
  hcl::File f = hcl::parse_native_file(src, "in.hcl", b.diags);
  Value v = decode(*f.body, spec, nullptr, b.diags);
  if (!b.diags.has_errors()) b.json = hcl::value_to_json(v);
  return b;
}

std::shared_ptr<AttrSpec> attr_spec(std::string name, Type t) {
  auto a = std::make_shared<AttrSpec>();
  a->name = std::move(name);
  a->type = std::move(t);
  return a;
}

TEST(HcldecBuiltSpecs, BlockLabels) {
  auto obj = std::make_shared<ObjectSpec>();
  auto l0 = std::make_shared<BlockLabelSpec>();
  l0->index = 0;
  l0->name = "name";
  auto l1 = std::make_shared<BlockLabelSpec>();
  l1->index = 1;
  l1->name = "kind";
  obj->members = {{"name", l0}, {"kind", l1}, {"v", attr_spec("v", Type::number())}};
  BlockListSpec list;
  list.type_name = "b";
  list.nested = obj;
  auto schema = implied_schema(list);
  ASSERT_EQ(schema.blocks.size(), 1u);
  EXPECT_EQ(schema.blocks[0].label_names, (std::vector<std::string>{"name", "kind"}));
  Built ok = decode_built(list, "b \"x\" \"y\" {\n  v = 1\n}\nb \"p\" \"q\" {\n  v = 2\n}\n");
  EXPECT_EQ(ok.json, R"([{"kind":"y","name":"x","v":1},{"kind":"q","name":"p","v":2}])");
  Built missing = decode_built(list, "b \"x\" {\n  v = 1\n}\n");
  ASSERT_EQ(missing.diags.size(), 1u);
  EXPECT_EQ(missing.diags[0].summary, "Missing kind for b");
  EXPECT_EQ(list.implied_type().friendly_name(), "list of object");
}

TEST(HcldecBuiltSpecs, LabelNamesFillGaps) {
  auto l2 = std::make_shared<BlockLabelSpec>();
  l2->index = 2;
  l2->name = "third";
  BlockSpec b;
  b.type_name = "x";
  b.nested = l2;
  auto schema = implied_schema(b);
  EXPECT_EQ(schema.blocks.at(0).label_names,
            (std::vector<std::string>{"missing00", "missing01", "third"}));
}

TEST(HcldecBuiltSpecs, BlockAttrs) {
  BlockAttrsSpec attrs;
  attrs.type_name = "env";
  attrs.element_type = Type::string();
  attrs.required = true;
  EXPECT_EQ(decode_built(attrs, "env {\n  A = 1\n  B = \"x\"\n}\n").json, R"({"A":"1","B":"x"})");
  EXPECT_EQ(decode_built(attrs, "env {\n}\n").json, "{}");
  Built missing = decode_built(attrs, "");
  EXPECT_EQ(summaries(missing.diags), std::vector<std::string>{"Missing env block"});
  Built dup = decode_built(attrs, "env {\n  A = 1\n}\nenv {\n  B = 2\n}\n");
  ASSERT_EQ(summaries(dup.diags), std::vector<std::string>{"Duplicate env block"});
  EXPECT_EQ(dup.diags[0].detail,
            "Only one block of type \"env\" is allowed. Previous definition was at in.hcl:1,1-4.");
  EXPECT_EQ(dup.diags[0].subject->start.line, 4);
  Built bad = decode_built(attrs, "env {\n  A = [1]\n  blk {\n  }\n}\n");
  EXPECT_EQ(summaries(bad.diags),
            (std::vector<std::string>{"Invalid attribute value", "Unexpected \"blk\" block"}));
  EXPECT_EQ(attrs.implied_type().friendly_name(), "map of string");
}

TEST(HcldecBuiltSpecs, BlockTupleAndObject) {
  BlockTupleSpec tuple;
  tuple.type_name = "t";
  tuple.nested = attr_spec("v", Type::dynamic());
  tuple.min_items = 1;
  EXPECT_EQ(decode_built(tuple, "t {\n  v = 1\n}\nt {\n  v = \"a\"\n}\n").json, R"([1,"a"])");
  EXPECT_EQ(summaries(decode_built(tuple, "").diags),
            std::vector<std::string>{"Insufficient t blocks"});
  EXPECT_TRUE(tuple.implied_type().is_dynamic());

  BlockMapSpec obj;
  obj.as_object = true;
  obj.type_name = "o";
  obj.label_names = {"a", "b"};
  obj.nested = attr_spec("v", Type::dynamic());
  Built dup = decode_built(obj,
                           "o \"x\" \"y\" {\n  v = 1\n}\no \"x\" \"z\" {\n  v = \"s\"\n}\no \"x\" "
                           "\"y\" {\n  v = 3\n}\n");
  ASSERT_EQ(dup.diags.size(), 1u);
  EXPECT_EQ(dup.diags[0].detail,
            "A block for o \"x\" \"y\" was already defined. The o labels must be unique.");
  EXPECT_EQ(
      decode_built(obj, "o \"x\" \"y\" {\n  v = 1\n}\no \"x\" \"z\" {\n  v = \"s\"\n}\n").json,
      R"({"x":{"y":1,"z":"s"}})");
  EXPECT_EQ(decode_built(obj, "").json, "{}");
}

TEST(HcldecBuiltSpecs, MapWithLabelInside) {
  auto inner = std::make_shared<ObjectSpec>();
  auto l = std::make_shared<BlockLabelSpec>();
  l->index = 0;
  l->name = "sub";
  inner->members = {{"l", l}, {"v", attr_spec("v", Type::string())}};
  BlockMapSpec m;
  m.type_name = "m";
  m.label_names = {"k"};
  m.nested = inner;
  EXPECT_EQ(decode_built(m, "m \"a\" \"s1\" {\n  v = 1\n}\nm \"b\" \"s2\" {\n}\n").json,
            R"({"a":{"l":"s1","v":"1"},"b":{"l":"s2","v":null}})");
  EXPECT_EQ(m.implied_type().friendly_name(), "map of object");
}

}  // namespace
}  // namespace kiln::hcldec
