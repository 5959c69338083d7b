#include "local/labels.h"

#include <gtest/gtest.h>

namespace kiln::local {
namespace {

bool sel(const std::string& s, const Labels& l) {
  std::string err;
  auto p = LabelSelector::parse(s, &err);
  EXPECT_TRUE(p.has_value()) << s << ": " << err;
  return p && p->matches(l);
}

TEST(LabelSelector, EqualityForms) {
  Labels l{{"env", "prod"}, {"role", "db"}};
  EXPECT_TRUE(sel("env=prod", l));
  EXPECT_TRUE(sel("env==prod", l));
  EXPECT_FALSE(sel("env=test", l));
  EXPECT_TRUE(sel("env!=test", l));
  EXPECT_FALSE(sel("env!=prod", l));
  EXPECT_TRUE(sel("env=prod,role=db", l));
  EXPECT_FALSE(sel("env=prod,role=web", l));
}

TEST(LabelSelector, ExistenceAndSets) {
  Labels l{{"env", "staging"}};
  EXPECT_TRUE(sel("env", l));
  EXPECT_FALSE(sel("role", l));
  EXPECT_TRUE(sel("!role", l));
  EXPECT_FALSE(sel("!env", l));
  EXPECT_TRUE(sel("env in (testing,staging)", l));
  EXPECT_FALSE(sel("env in (testing, production)", l));
  EXPECT_TRUE(sel("env notin (testing,production)", l));
  EXPECT_FALSE(sel("env notin (staging)", l));
  EXPECT_TRUE(sel("env in (a,staging),!role", l));
}

TEST(LabelSelector, NegationsMatchMissingKeys) {
  Labels none;
  EXPECT_TRUE(sel("env!=prod", none));
  EXPECT_TRUE(sel("env notin (prod)", none));
  EXPECT_FALSE(sel("env in (prod)", none));
  EXPECT_TRUE(sel("", none));
}

TEST(LabelSelector, PrefixedKeysAndSpaces) {
  Labels l{{"example.com/team", "core"}};
  EXPECT_TRUE(sel(" example.com/team = core ", l));
  EXPECT_TRUE(sel("example.com/team in ( core , x )", l));
}

TEST(LabelSelector, RejectsMalformed) {
  std::string err;
  for (const char* bad : {"env in (a,b", "env in a,b)", "env=prod,", ",env", "env foo (a)",
                          "env in ()", "e nv=1", "env=a b"}) {
    err.clear();
    EXPECT_FALSE(LabelSelector::parse(bad, &err).has_value()) << bad;
    EXPECT_FALSE(err.empty()) << bad;
  }
}

TEST(Labels, Validation) {
  EXPECT_EQ(validate_labels({{"env", "prod"}, {"a.b/c", ""}, {"k", "a-b_c.d"}}), "");
  EXPECT_NE(validate_labels({{"-env", "x"}}), "");
  EXPECT_NE(validate_labels({{"env", "-x"}}), "");
  EXPECT_NE(validate_labels({{std::string(64, 'a'), "x"}}), "");
  EXPECT_NE(validate_labels({{"hetzner.cloud/x", "y"}}), "");
  EXPECT_NE(validate_labels({{"Bad_Prefix/x", "y"}}), "");
}

}  // namespace
}  // namespace kiln::local
