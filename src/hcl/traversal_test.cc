// hcl.Index / hcl.GetAttr / traversal application, with hcl's messages
// (as printed by HashiCorp's hcldec for the same inputs).
#include "hcl/traversal.h"

#include <gtest/gtest.h>

namespace kiln::hcl {
namespace {

Range rng(int c1, int c2) {
  Range r;
  r.filename = intern_filename("t.hcl");
  r.start = Pos{1, c1, static_cast<size_t>(c1 - 1)};
  r.end = Pos{1, c2, static_cast<size_t>(c2 - 1)};
  return r;
}

Value tup12() {
  return Value::tuple({Value::number(1), Value::number(2)});
}

TEST(Index, SequenceMessages) {
  const Range r = rng(3, 6);
  struct Case {
    Value coll, key;
    std::string detail;
  } cases[] = {
      {tup12(), Value::number(2),
       "The given key does not identify an element in this collection value: the given index "
       "is greater than or equal to the length of the collection."},
      // hcl only gives the length message when index - length < 1.
      {tup12(), Value::number(5),
       "The given key does not identify an element in this collection value."},
      {Value::empty_tuple(), Value::number(0),
       "The given key does not identify an element in this collection value: the collection "
       "has no elements."},
      {tup12(), Value::number(-1),
       "The given key does not identify an element in this collection value: a negative number "
       "is not a valid index for a sequence."},
      {tup12(), Value::number(*Number::parse("0.5")),
       "The given key does not identify an element in this collection value: indexing a "
       "sequence requires a whole number, but the given index has a fractional part."},
      {tup12(), Value::string("a"),
       "The given key does not identify an element in this collection value: a number is "
       "required."},
      {Value::list({Value::number(1)}), Value::number(1),
       "The given key does not identify an element in this collection value: the given index "
       "is greater than or equal to the length of the collection."},
      {Value::number(1), Value::number(0), "This value does not have any indices."},
      {Value::object({{"a", Value::number(1)}}), Value::number(0),
       "The given key does not identify an element in this collection value. An object only "
       "supports looking up attributes by name, not by numeric index."},
  };
  for (const auto& c : cases) {
    Diagnostics diags;
    Value v = index_value(c.coll, c.key, &r, diags);
    SCOPED_TRACE(c.coll.debug_string() + "[" + c.key.debug_string() + "]");
    ASSERT_EQ(diags.size(), 1u);
    EXPECT_EQ(diags[0].summary, "Invalid index");
    EXPECT_EQ(diags[0].detail, c.detail);
    EXPECT_EQ(diags[0].subject, r);
    EXPECT_TRUE(v.raw_equals(Value::dynamic_unknown()));
  }
}

TEST(Index, Values) {
  Diagnostics diags;
  EXPECT_TRUE(
      index_value(tup12(), Value::string("1"), nullptr, diags).raw_equals(Value::number(2)));
  EXPECT_TRUE(
      index_value(Value::map({{"k", Value::string("v")}}), Value::string("k"), nullptr, diags)
          .raw_equals(Value::string("v")));
  EXPECT_TRUE(
      index_value(Value::object({{"1", Value::boolean(true)}}), Value::number(1), nullptr, diags)
          .raw_equals(Value::boolean(true)));
  EXPECT_TRUE(diags.empty());
  // Unknowns: a list gives an unknown element, a tuple the dynamic value.
  EXPECT_TRUE(
      index_value(Value::list({Value::number(1)}), Value::unknown(Type::number()), nullptr, diags)
          .raw_equals(Value::unknown(Type::number())));
  EXPECT_TRUE(index_value(tup12(), Value::unknown(Type::number()), nullptr, diags)
                  .raw_equals(Value::dynamic_unknown()));
  EXPECT_TRUE(index_value(Value::dynamic_unknown(), Value::number(0), nullptr, diags)
                  .raw_equals(Value::dynamic_unknown()));
  // Marks on the collection or the key mark the element.
  EXPECT_TRUE(index_value(tup12().with_marks(kMarkSensitive), Value::number(0), nullptr, diags)
                  .is_sensitive());
  EXPECT_TRUE(index_value(tup12(), Value::number(0).with_marks(kMarkSensitive), nullptr, diags)
                  .is_sensitive());
  EXPECT_TRUE(diags.empty());
}

TEST(Index, NullsAndSets) {
  Diagnostics diags;
  index_value(Value::null(Type::dynamic()), Value::number(0), nullptr, diags);
  index_value(tup12(), Value::null(Type::number()), nullptr, diags);
  index_value(Value::set({Value::number(1)}), Value::number(0), nullptr, diags);
  ASSERT_EQ(diags.size(), 3u);
  EXPECT_EQ(diags[0].summary, "Attempt to index null value");
  EXPECT_EQ(diags[0].detail, "This value is null, so it does not have any indices.");
  EXPECT_EQ(diags[1].detail, "Can't use a null value as an indexing key.");
  EXPECT_EQ(diags[2].summary, "Invalid index");
  EXPECT_FALSE(diags[0].subject.has_value());
}

TEST(GetAttr, Messages) {
  Diagnostics diags;
  const Range r = rng(5, 7);
  get_attr(Value::object({{"a", Value::number(1)}}), "b", &r, diags);
  get_attr(Value::null(Type::object({})), "b", &r, diags);
  get_attr(Value::string("s"), "b", &r, diags);
  get_attr(tup12(), "b", &r, diags);
  get_attr(Value::map({{"a", Value::number(1)}}), "b", &r, diags);
  ASSERT_EQ(diags.size(), 5u);
  EXPECT_EQ(diags[0].summary, "Unsupported attribute");
  EXPECT_EQ(diags[0].detail, "This object does not have an attribute named \"b\".");
  EXPECT_EQ(diags[1].summary, "Attempt to get attribute from null value");
  EXPECT_EQ(diags[2].detail, "Can't access attributes on a primitive-typed value (string).");
  EXPECT_EQ(diags[3].detail, "This value does not have any attributes.");
  EXPECT_EQ(diags[4].summary, "Missing map element");
  for (const auto& d : diags) EXPECT_EQ(d.subject, r);
}

TEST(GetAttr, UnknownsAndMarks) {
  Diagnostics diags;
  auto ot = Type::object({{"a", Type::string()}});
  EXPECT_TRUE(
      get_attr(Value::unknown(ot), "a", nullptr, diags).raw_equals(Value::unknown(Type::string())));
  EXPECT_TRUE(
      get_attr(Value::dynamic_unknown(), "a", nullptr, diags).raw_equals(Value::dynamic_unknown()));
  EXPECT_TRUE(get_attr(Value::object({{"a", Value::string("x")}}).with_marks(kMarkSensitive), "a",
                       nullptr, diags)
                  .is_sensitive());
  EXPECT_TRUE(diags.empty());
}

TEST(Traversal, RangeAndSteps) {
  Traversal t;
  TraversalStep root;
  root.kind = TraversalStep::Kind::Root;
  root.name = "v";
  root.range = rng(1, 2);
  TraversalStep attr;
  attr.kind = TraversalStep::Kind::Attr;
  attr.name = "a";
  attr.range = rng(2, 4);
  TraversalStep idx;
  idx.kind = TraversalStep::Kind::Index;
  idx.key = Value::number(1);
  idx.range = rng(4, 7);
  t.steps = {root, attr, idx};
  EXPECT_EQ(t.range(), Range::between(rng(1, 2), rng(4, 7)));

  Diagnostics diags;
  Value obj = Value::object({{"a", tup12()}});
  EXPECT_TRUE(apply_traversal_steps(obj, t.steps, 1, diags).raw_equals(Value::number(2)));
  EXPECT_TRUE(diags.empty());
  // Stops at the first error.
  t.steps[1].name = "zz";
  EXPECT_TRUE(apply_traversal_steps(obj, t.steps, 1, diags).raw_equals(Value::dynamic_unknown()));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].subject, rng(2, 4));
}

}  // namespace
}  // namespace kiln::hcl
