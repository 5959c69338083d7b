// JSON encoding and decoding of values; expected strings from hcldec and
// go-cty's json package.
#include <gtest/gtest.h>

#include "hcl/value.h"

namespace kiln::hcl {
namespace {

Value N(const char* s) {
  return Value::number(*Number::parse(s));
}
Value S(const char* s) {
  return Value::string(s);
}
Value B(bool b) {
  return Value::boolean(b);
}
Value T(std::vector<Value> v) {
  return Value::tuple(std::move(v));
}
Value O(std::map<std::string, Value> m) {
  return Value::object(std::move(m));
}

TEST(ValueJsonTest, MarshalLikeGo) {
  // hcldec: a = "<a> & b\u2028\u2029 \t\n\r\u0001\u0008\u000c\u007f é"
  EXPECT_EQ(value_to_json(S("<a> & b\u2028\u2029 \t\n\r\x01\x08\x0c\x7f é")),
            "\"\\u003ca\\u003e \\u0026 b\\u2028\\u2029 \\t\\n\\r\\u0001\\u0008\\u000c\x7f é\"");
  EXPECT_EQ(value_to_json(S("q\"b\\")), "\"q\\\"b\\\\\"");
  // Invalid UTF-8 becomes U+FFFD (encoding/json).
  EXPECT_EQ(value_to_json(S("a\xff"
                            "b")),
            "\"a\\ufffdb\"");
  EXPECT_EQ(
      value_to_json(
          O({{"b", N("1")}, {"a", T({B(true), Value::null(Type::dynamic())})}, {"c d", O({})}})),
      "{\"a\":[true,null],\"b\":1,\"c d\":{}}");
  EXPECT_EQ(value_to_json(T({})), "[]");
  EXPECT_EQ(value_to_json(O({})), "{}");
  EXPECT_EQ(value_to_json(Value::null(Type::dynamic())), "null");
  EXPECT_EQ(value_to_json(Value::map({{"k", N("0.1")}})), "{\"k\":0.1}");
  EXPECT_EQ(value_to_json(T({Value::number(Number(1) / Number(3))})), "[0.33333333333333333334]");
}

// hcldec --with-type output shapes (ctyjson.Marshal with DynamicPseudoType).
TEST(ValueJsonTest, MarshalWithType) {
  std::string err;
  EXPECT_EQ(
      value_to_json_typed(O({{"a", N("1")}, {"b", T({S("x")})}}), &err),
      R"({"value":{"a":1,"b":["x"]},"type":["object",{"a":"number","b":["tuple",["string"]]}]})");
  EXPECT_EQ(value_to_json_typed(Value::null(Type::dynamic()), &err), "null");
  EXPECT_EQ(value_to_json_typed(Value::null(Type::string()), &err),
            R"({"value":null,"type":"string"})");
}

TEST(ValueJsonTest, MarshalErrors) {
  std::string err;
  EXPECT_FALSE(value_to_json(Value::unknown(Type::string()), &err));
  EXPECT_EQ(err, "value is not known");
  EXPECT_FALSE(value_to_json(T({Value::unknown(Type::string())}), &err));
  EXPECT_EQ(err, "value is not known");
  EXPECT_FALSE(value_to_json(S("x").with_marks(kMarkSensitive), &err));
  EXPECT_EQ(err, "value has marks, so it cannot be serialized as JSON");
  // hcldec: a = 1/0 => cannot serialize infinity as JSON
  EXPECT_FALSE(value_to_json(Value::number(Number(1) / Number(0)), &err));
  EXPECT_EQ(err, "cannot serialize infinity as JSON");
  EXPECT_EQ(value_to_json(Value::unknown(Type::string())), "");
}

TEST(ValueJsonTest, UnmarshalImpliedType) {
  std::string err;
  auto v =
      value_from_json(R"({"a": 1.10, "b": [true, "x", null], "c": {}})", Type::dynamic(), &err);
  ASSERT_TRUE(v) << err;
  EXPECT_EQ(v->type(),
            Type::object({{"a", Type::number()},
                          {"b", Type::tuple({Type::boolean(), Type::string(), Type::dynamic()})},
                          {"c", Type::empty_object()}}));
  EXPECT_EQ(value_to_json(*v), R"({"a":1.1,"b":[true,"x",null],"c":{}})");
  // Full precision from the literal text.
  auto big = value_from_json("123456789012345678901234567890.5", Type::dynamic(), &err);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->as_number().str(), "123456789012345678901234567890.5");
  auto esc = value_from_json(R"("\u00e9\ud83d\ude00\n\/")", Type::dynamic(), &err);
  ASSERT_TRUE(esc);
  EXPECT_EQ(esc->as_string(), "\xC3\xA9\xF0\x9F\x98\x80\n/");
  auto dup = value_from_json(R"({"a": 1, "a": "x"})", Type::dynamic(), &err);
  ASSERT_TRUE(dup);
  EXPECT_EQ(value_to_json(*dup), R"({"a":"x"})");
}

TEST(ValueJsonTest, UnmarshalWithType) {
  std::string err;
  auto l = value_from_json(R"(["1", 2])", Type::list(Type::number()), &err);
  ASSERT_TRUE(l) << err;
  EXPECT_EQ(value_to_json(*l), "[1,2]");
  auto s = value_from_json(R"(["b", "a", "b"])", Type::set(Type::string()), &err);
  ASSERT_TRUE(s);
  EXPECT_EQ(value_to_json(*s), R"(["a","b"])");
  auto str = value_from_json("true", Type::string(), &err);
  ASSERT_TRUE(str);
  EXPECT_EQ(str->as_string(), "true");
  auto o = value_from_json(R"({"a": 1})",
                           Type::object({{"a", Type::number()}, {"b", Type::string()}}), &err);
  ASSERT_TRUE(o);
  EXPECT_EQ(value_to_json(*o), R"({"a":1,"b":null})");
  EXPECT_FALSE(value_from_json(R"({"c": 1})", Type::object({{"a", Type::number()}}), &err));
  EXPECT_EQ(err, "unsupported attribute \"c\"");
  EXPECT_FALSE(value_from_json(R"("x")", Type::number(), &err));
  EXPECT_EQ(err, "a number is required");
  EXPECT_FALSE(value_from_json("[1]", Type::number(), &err));
  EXPECT_EQ(err, "number is required");
  EXPECT_FALSE(value_from_json("[1, 2]", Type::tuple({Type::number()}), &err));
  EXPECT_EQ(err, "too many tuple elements (need 1)");
  EXPECT_FALSE(value_from_json("[]", Type::tuple({Type::number()}), &err));
  EXPECT_EQ(err, "not enough tuple elements (need 1)");
  auto m = value_from_json(R"({"x": "1"})", Type::map(Type::number()), &err);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type(), Type::map(Type::number()));
  auto dyn = value_from_json(R"({"value": [1], "type": ["list", "number"]})",
                             Type::list(Type::dynamic()).element_type(), &err);
  ASSERT_TRUE(dyn);  // dynamic: implied type of the wrapper object
}

// Messages as ctyjson.ImpliedType / Unmarshal return them (run with Go).
TEST(ValueJsonTest, SyntaxErrors) {
  std::string err;
  EXPECT_FALSE(value_from_json("", Type::dynamic(), &err));
  EXPECT_EQ(err, "EOF");
  EXPECT_FALSE(value_from_json("[1,", Type::dynamic(), &err));
  EXPECT_EQ(err, "EOF");
  EXPECT_FALSE(value_from_json("{\"a\" 1}", Type::dynamic(), &err));
  EXPECT_EQ(err, "invalid character '1' after object key");
  EXPECT_FALSE(value_from_json("[01]", Type::dynamic(), &err));
  EXPECT_EQ(err, "invalid character '1' after array element");
  EXPECT_FALSE(value_from_json("1 2", Type::dynamic(), &err));
  EXPECT_EQ(err, "extraneous data after JSON object");
  EXPECT_FALSE(value_from_json("tru", Type::dynamic(), &err));
  EXPECT_EQ(err, "unexpected EOF");
  EXPECT_FALSE(value_from_json("[1", Type::list(Type::number()), &err));
  EXPECT_EQ(err, "EOF");
  EXPECT_FALSE(value_from_json("5", Type::list(Type::number()), &err));
  EXPECT_EQ(err, "missing expected [");
  auto lone = value_from_json("\"\\ud800x\"", Type::dynamic(), &err);
  ASSERT_TRUE(lone);
  EXPECT_EQ(lone->as_string(), "\xEF\xBF\xBDx");
}

}  // namespace
}  // namespace kiln::hcl
