#include "local/pagination.h"

#include <gtest/gtest.h>

namespace kiln::local {
namespace {

std::vector<nlohmann::json> items(int n) {
  std::vector<nlohmann::json> v;
  for (int i = 1; i <= n; ++i) v.push_back(i);
  return v;
}

TEST(Pagination, DefaultsAndMeta) {
  std::string err;
  auto r = parse_page_request(std::nullopt, std::nullopt, &err);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->page, 1);
  EXPECT_EQ(r->per_page, 25);
  Paged p = paginate(items(60), *r);
  EXPECT_EQ(p.items.size(), 25u);
  EXPECT_EQ(p.items[0], 1);
  EXPECT_EQ(p.pagination["previous_page"], nullptr);
  EXPECT_EQ(p.pagination["next_page"], 2);
  EXPECT_EQ(p.pagination["last_page"], 3);
  EXPECT_EQ(p.pagination["total_entries"], 60);
}

TEST(Pagination, LastPageHasNullNext) {
  std::string err;
  auto r = parse_page_request("3", "25", &err);
  Paged p = paginate(items(60), *r);
  EXPECT_EQ(p.items.size(), 10u);
  EXPECT_EQ(p.items[0], 51);
  EXPECT_EQ(p.pagination["next_page"], nullptr);
  EXPECT_EQ(p.pagination["previous_page"], 2);
}

TEST(Pagination, EmptyListIsOnePage) {
  Paged p = paginate({}, PageRequest{});
  EXPECT_TRUE(p.items.empty());
  EXPECT_EQ(p.pagination["last_page"], 1);
  EXPECT_EQ(p.pagination["next_page"], nullptr);
  EXPECT_EQ(p.pagination["total_entries"], 0);
}

TEST(Pagination, PerPageClampedTo50AndBadValuesRefused) {
  std::string err;
  auto r = parse_page_request("1", "500", &err);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->per_page, 50);
  EXPECT_FALSE(parse_page_request("0", std::nullopt, &err));
  EXPECT_EQ(err, "page");
  EXPECT_FALSE(parse_page_request("1", "-3", &err));
  EXPECT_EQ(err, "per_page");
  EXPECT_FALSE(parse_page_request("x", std::nullopt, &err));
}

TEST(Pagination, PageBeyondLastIsEmpty) {
  std::string err;
  Paged p = paginate(items(5), *parse_page_request("4", "2", &err));
  EXPECT_TRUE(p.items.empty());
  EXPECT_EQ(p.pagination["next_page"], nullptr);
  EXPECT_EQ(p.pagination["last_page"], 3);
}

}  // namespace
}  // namespace kiln::local
