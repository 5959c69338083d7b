#include "local/query.h"

#include <gtest/gtest.h>

namespace kiln::local {
namespace {

std::string one(const std::multimap<std::string, std::string>& q, const std::string& k) {
  auto it = q.find(k);
  return it == q.end() ? "<none>" : it->second;
}

TEST(Query, ARawEqualsSignStaysInTheValue) {
  // What curl sends for ?label_selector=kiln.upload=true (Go keeps it whole).
  auto q = parse_query("label_selector=kiln.upload=true&per_page=50");
  EXPECT_EQ(one(q, "label_selector"), "kiln.upload=true");
  EXPECT_EQ(one(q, "per_page"), "50");
}

TEST(Query, EscapesAndPlusAreDecoded) {
  auto q = parse_query("label_selector=env%3Dprod%2Cteam+in+%28a%29&name=x%2");
  EXPECT_EQ(one(q, "label_selector"), "env=prod,team in (a)");
  EXPECT_EQ(one(q, "name"), "x%2");  // a broken escape is kept
}

TEST(Query, RepeatedKeysAndBareKeys) {
  auto q = parse_query("id=1&id=2&&flag");
  EXPECT_EQ(q.count("id"), 2u);
  EXPECT_EQ(one(q, "flag"), "");
  EXPECT_TRUE(parse_query("").empty());
}

}  // namespace
}  // namespace kiln::local
