// Types and values: names, equality, sets, marks. Expected strings come
// from go-cty (FriendlyName, MarshalType) and HashiCorp's hcldec output.
#include "hcl/value.h"

#include <gtest/gtest.h>

#include "hcl/value_internal.h"

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

TEST(TypeTest, FriendlyNames) {
  EXPECT_EQ(Type::string().friendly_name(), "string");
  EXPECT_EQ(Type::number().friendly_name(), "number");
  EXPECT_EQ(Type::boolean().friendly_name(), "bool");
  EXPECT_EQ(Type::dynamic().friendly_name(), "dynamic");
  EXPECT_EQ(Type::dynamic().friendly_name_for_constraint(), "any type");
  EXPECT_EQ(Type::list(Type::string()).friendly_name(), "list of string");
  EXPECT_EQ(Type::map(Type::list(Type::number())).friendly_name(), "map of list of number");
  EXPECT_EQ(Type::set(Type::boolean()).friendly_name(), "set of bool");
  EXPECT_EQ(Type::list(Type::dynamic()).friendly_name(), "list of dynamic");
  EXPECT_EQ(Type::list(Type::dynamic()).friendly_name_for_constraint(), "list of any single type");
  EXPECT_EQ(Type::map(Type::dynamic()).friendly_name_for_constraint(), "map of any single type");
  EXPECT_EQ(Type::object({{"a", Type::string()}}).friendly_name(), "object");
  EXPECT_EQ(Type::list(Type::map(Type::dynamic())).friendly_name_for_constraint(),
            "list of map of any single type");
  EXPECT_EQ(Type::list(Type::map(Type::dynamic())).friendly_name(), "list of map of dynamic");
  EXPECT_EQ(Type::set(Type::list(Type::dynamic())).friendly_name_for_constraint(),
            "set of list of any single type");
  EXPECT_EQ(Type::tuple({}).friendly_name(), "tuple");
}

TEST(TypeTest, Json) {
  EXPECT_EQ(Type::string().json(), "\"string\"");
  EXPECT_EQ(Type::dynamic().json(), "\"dynamic\"");
  EXPECT_EQ(Type::list(Type::number()).json(), "[\"list\",\"number\"]");
  EXPECT_EQ(Type::set(Type::map(Type::boolean())).json(), "[\"set\",[\"map\",\"bool\"]]");
  EXPECT_EQ(Type::object({{"b", Type::string()}, {"a", Type::number()}}).json(),
            "[\"object\",{\"a\":\"number\",\"b\":\"string\"}]");
  EXPECT_EQ(Type::object({{"a", Type::number()}}, {"a"}).json(),
            "[\"object\",{\"a\":\"number\"},[\"a\"]]");
  // From ctyjson.MarshalType (Go).
  EXPECT_EQ(Type::object({{"b", Type::string()}, {"a", Type::number()}, {"c", Type::boolean()}},
                         {"c", "b"})
                .json(),
            R"(["object",{"a":"number","b":"string","c":"bool"},["b","c"]])");
  EXPECT_EQ(Type::tuple({Type::string(), Type::boolean()}).json(),
            "[\"tuple\",[\"string\",\"bool\"]]");
  EXPECT_EQ(Type::empty_tuple().json(), "[\"tuple\",[]]");
  EXPECT_EQ(Type::empty_object().json(), "[\"object\",{}]");
  std::string err;
  for (const Type& t : {Type::string(), Type::list(Type::set(Type::dynamic())),
                        Type::object({{"a", Type::number()}}, {"a"}),
                        Type::tuple({Type::string(), Type::map(Type::boolean())})}) {
    auto back = type_from_json(t.json(), &err);
    ASSERT_TRUE(back) << err;
    EXPECT_EQ(*back, t);
  }
}

TEST(TypeTest, Equality) {
  EXPECT_EQ(Type::list(Type::string()), Type::list(Type::string()));
  EXPECT_NE(Type::list(Type::string()), Type::set(Type::string()));
  EXPECT_NE(Type::object({{"a", Type::string()}}), Type::object({{"a", Type::number()}}));
  EXPECT_NE(Type::object({{"a", Type::string()}}), Type::object({{"a", Type::string()}}, {"a"}));
  EXPECT_EQ(Type::tuple({Type::string()}), Type::tuple({Type::string()}));
  EXPECT_TRUE(Type::list(Type::dynamic()).has_dynamic_types());
  EXPECT_FALSE(Type::object({{"a", Type::string()}}).has_dynamic_types());
  EXPECT_TRUE(Type::object({{"a", Type::dynamic()}}).has_dynamic_types());
  EXPECT_TRUE(Type::object({{"a", Type::string()}}).has_attribute("a"));
  EXPECT_FALSE(Type::object({{"a", Type::string()}}).has_attribute("b"));
}

TEST(ValueTest, Basics) {
  Value v;
  EXPECT_TRUE(v.is_null());
  EXPECT_TRUE(v.type().is_dynamic());
  EXPECT_FALSE(Value::dynamic_unknown().is_known());
  EXPECT_EQ(S("x").as_string(), "x");
  EXPECT_TRUE(B(true).as_bool());
  EXPECT_EQ(N("2.5").as_number().str(), "2.5");
  Value o = O({{"b", N("1")}, {"a", S("x")}});
  EXPECT_EQ(o.type(), Type::object({{"a", Type::string()}, {"b", Type::number()}}));
  EXPECT_EQ(o.length(), 2u);
  EXPECT_EQ(o.attributes().begin()->first, "a");
  Value l = Value::list({S("a"), S("b")});
  EXPECT_EQ(l.type(), Type::list(Type::string()));
  EXPECT_EQ(l.length(), 2u);
  EXPECT_EQ(Value::list_empty(Type::number()).type(), Type::list(Type::number()));
  EXPECT_TRUE(T({N("1"), Value::unknown(Type::string())}).is_known());
  EXPECT_FALSE(T({N("1"), Value::unknown(Type::string())}).is_wholly_known());
  // A dynamic-typed null inside a typed list takes the element type.
  Value ln = Value::list({Value::null(Type::dynamic()), S("a")});
  EXPECT_EQ(ln.elements()[0].type(), Type::string());
}

TEST(ValueTest, StringsAreNfc) {
  // hcldec: "e\u0301" prints "é" (U+00E9).
  EXPECT_EQ(S("e\xCC\x81").as_string(), "\xC3\xA9");
  EXPECT_EQ(S("abc").as_string(), "abc");
  // Attribute names and map keys too (cty.NormalizeString in ObjectVal/MapVal).
  Value o = O({{"e\xCC\x81", N("1")}});
  EXPECT_TRUE(o.type().has_attribute("\xC3\xA9"));
  EXPECT_EQ(o.attributes().begin()->first, "\xC3\xA9");
  EXPECT_EQ(Value::map({{"e\xCC\x81", N("1")}}).attributes().begin()->first, "\xC3\xA9");
}

TEST(ValueTest, Equals) {
  // hcldec: 0.1+0.2 == 0.3 => true; 1/3 == 0.3333333333 => false; 0 == -0 => true
  EXPECT_TRUE(
      Value::number(*Number::parse("0.1") + *Number::parse("0.2")).equals(N("0.3")).as_bool());
  EXPECT_FALSE(
      Value::number(*Number::parse("1") / *Number::parse("3")).equals(N("0.3333333333")).as_bool());
  EXPECT_TRUE(N("0").equals(N("-0")).as_bool());
  EXPECT_TRUE(N("1").equals(N("1.0")).as_bool());
  EXPECT_FALSE(N("1").equals(N("2")).as_bool());
  EXPECT_FALSE(N("1").equals(S("1")).as_bool());
  EXPECT_TRUE(Value::null(Type::string()).equals(Value::null(Type::number())).as_bool());
  EXPECT_FALSE(Value::null(Type::string()).equals(S("")).as_bool());
  EXPECT_FALSE(Value::unknown(Type::string()).equals(S("a")).is_known());
  EXPECT_FALSE(Value::unknown(Type::string()).equals(Value::unknown(Type::string())).is_known());
  // Known value against an unknown of a different type: false.
  Value r = N("1").equals(Value::unknown(Type::string()));
  ASSERT_TRUE(r.is_known());
  EXPECT_FALSE(r.as_bool());
  // Null against unknown: unknown.
  EXPECT_FALSE(Value::null(Type::string()).equals(Value::unknown(Type::string())).is_known());
  EXPECT_TRUE(T({N("1"), S("a")}).equals(T({N("1"), S("a")})).as_bool());
  EXPECT_FALSE(T({N("1"), S("a")}).equals(T({N("1"), S("b")})).as_bool());
  EXPECT_FALSE(T({N("1")}).equals(Value::list({N("1")})).as_bool());
  EXPECT_FALSE(T({N("1"), Value::unknown(Type::string())}).equals(T({N("1"), S("b")})).is_known());
  EXPECT_TRUE(O({{"a", N("1")}}).equals(O({{"a", N("1")}})).as_bool());
  EXPECT_FALSE(O({{"a", N("1")}}).equals(O({{"b", N("1")}})).as_bool());
  Value m = N("1").with_marks(kMarkSensitive).equals(N("1"));
  EXPECT_TRUE(m.as_bool());
  EXPECT_TRUE(m.is_sensitive());
}

TEST(ValueTest, RawEquals) {
  EXPECT_TRUE(Value::unknown(Type::string()).raw_equals(Value::unknown(Type::string())));
  EXPECT_FALSE(Value::unknown(Type::string()).raw_equals(Value::unknown(Type::number())));
  EXPECT_FALSE(N("1").raw_equals(N("1").with_marks(kMarkSensitive)));
  EXPECT_TRUE(Value::null(Type::string()).raw_equals(Value::null(Type::string())));
  EXPECT_FALSE(Value::null(Type::string()).raw_equals(Value::null(Type::number())));
  EXPECT_TRUE(Value::list({S("a")}).raw_equals(Value::list({S("a")})));
}

TEST(ValueTest, Marks) {
  Value s = S("secret").with_marks(kMarkSensitive);
  EXPECT_TRUE(s.is_sensitive());
  EXPECT_FALSE(s.unmarked().is_sensitive());
  Value t = T({s, N("1")});
  EXPECT_FALSE(t.is_sensitive());
  EXPECT_TRUE(t.contains_marks());
  uint8_t removed = 0;
  Value u = t.unmarked_deep(&removed);
  EXPECT_EQ(removed, kMarkSensitive);
  EXPECT_FALSE(u.contains_marks());
  // Sets hoist element marks to the set itself (cty.SetVal).
  Value set = Value::set({s, S("b")});
  EXPECT_TRUE(set.is_sensitive());
  EXPECT_FALSE(set.elements()[0].is_sensitive());
}

// Orders from hcldec: converting a tuple to a set type and printing it.
TEST(ValueTest, SetOrderingMatchesCty) {
  EXPECT_EQ(value_to_json(Value::set({N("3"), N("1"), N("2"), N("1"), N("1.5"), N("-4")})),
            "[-4,1,1.5,2,3]");
  EXPECT_EQ(value_to_json(Value::set({S("b"), S("a"), S("B"), S("aa"), S(""), S("é")})),
            "[\"\",\"B\",\"a\",\"aa\",\"b\",\"é\"]");
  EXPECT_EQ(value_to_json(Value::set({B(true), B(false), B(true)})), "[false,true]");
  EXPECT_EQ(value_to_json(Value::set({Value::list({N("2")}), Value::list({N("1"), N("2")}),
                                      Value::list({N("1")}), Value::list({N("10")})})),
            "[[10],[1,2],[1],[2]]");
  EXPECT_EQ(value_to_json(Value::set({O({{"a", N("1")}}), O({{"a", N("0")}}), O({{"a", N("10")}}),
                                      O({{"a", N("-1")}})})),
            "[{\"a\":-1},{\"a\":0},{\"a\":10},{\"a\":1}]");
  EXPECT_EQ(value_to_json(Value::set({Value::map({{"b", S("x")}}), Value::map({{"a", S("y")}}),
                                      Value::map({{"a", S("x")}})})),
            "[{\"a\":\"x\"},{\"a\":\"y\"},{\"b\":\"x\"}]");
  EXPECT_EQ(value_to_json(Value::set({S("b"), Value::null(Type::string()), S("a")})),
            "[\"a\",\"b\",null]");
  EXPECT_EQ(Value::set({N("1"), N("1.0")}).length(), 1u);
  // Unknowns are never duplicates of each other; nulls are.
  EXPECT_EQ(Value::set({Value::unknown(Type::string()), Value::unknown(Type::string())}).length(),
            2u);
  EXPECT_EQ(Value::set({Value::null(Type::string()), Value::null(Type::string())}).length(), 1u);
}

// big.Float.String() values from Go.
TEST(ValueTest, NumberG10ForSetOrdering) {
  const std::pair<const char*, const char*> cases[] = {
      {"0", "0"},
      {"1", "1"},
      {"-1", "-1"},
      {"1.5", "1.5"},
      {"10", "10"},
      {"123456789", "123456789"},
      {"1234567890", "1234567890"},
      {"12345678901", "1.23456789e+10"},
      {"0.0001", "0.0001"},
      {"0.00001", "1e-05"},
      {"0.000012345", "1.2345e-05"},
      {"1e21", "1e+21"},
      {"1e-21", "1e-21"},
      {"123.456", "123.456"},
      {"99999999995", "1e+11"},
      {"9999999999.5", "1e+10"},
      {"0.1", "0.1"},
      {"-0.000001", "-1e-06"},
      {"100000", "100000"},
      {"1000000", "1000000"},
      {"3.14159265358979", "3.141592654"},
      {"1e10", "1e+10"},
      {"1e9", "1000000000"},
      {"12345.6789012", "12345.6789"},
      {"-98765432109876", "-9.876543211e+13"},
  };
  for (const auto& [in, want] : cases)
    EXPECT_EQ(detail::number_g10(*Number::parse(in)), want) << in;
  EXPECT_EQ(detail::number_g10(Number(1) / Number(3)), "0.3333333333");
}

// strconv.Quote results from Go (used in messages and set ordering).
TEST(ValueTest, GoQuote) {
  using namespace std::string_literals;
  const std::pair<std::string, std::string> cases[] = {
      {"\aa\x00\x1b\x7f"s, "\"\\aa\\x00\\x1b\\x7f\""},
      {"é\u00a0\u200b😀", "\"é\\u00a0\\u200b😀\""},
      {"\xff\xc3", "\"\\xff\\xc3\""},
      {"\u2028\U000e0001 x\"\\", "\"\\u2028\\U000e0001 x\\\"\\\\\""},
      {"\v\f\b", "\"\\v\\f\\b\""},
  };
  for (const auto& [in, want] : cases) {
    std::string got;
    detail::go_quote(got, in);
    EXPECT_EQ(got, want);
  }
}

TEST(ValueTest, DebugString) {
  EXPECT_EQ(N("1.5").debug_string(), "cty.NumberVal(1.5)");
  EXPECT_EQ(Value::unknown(Type::string()).debug_string(), "cty.UnknownVal(cty.String)");
  EXPECT_EQ(S("x").with_marks(kMarkSensitive).debug_string(),
            "cty.StringVal(\"x\").Mark(\"sensitive\")");
}

}  // namespace
}  // namespace kiln::hcl
