// Positions and ranges as hcl.Pos / hcl.Range print them.
#include "hcl/source.h"

#include <gtest/gtest.h>

#include <string>

namespace kiln::hcl {
namespace {

TEST(Source, RangeStringAsHcl) {
  std::string_view f = intern_filename("main.pkr.hcl");
  EXPECT_EQ((Range{f, Pos{2, 3, 10}, Pos{2, 7, 14}}).str(), "main.pkr.hcl:2,3-7");
  EXPECT_EQ((Range{f, Pos{2, 3, 10}, Pos{4, 1, 30}}).str(), "main.pkr.hcl:2,3-4,1");
}

TEST(Source, InternedNamesOutliveTheirSource) {
  std::string_view a;
  {
    std::string tmp = "dir/x.hcl";
    a = intern_filename(tmp);
  }
  EXPECT_EQ(a, "dir/x.hcl");
  EXPECT_EQ(intern_filename(std::string("dir/x.hcl")).data(), a.data());
}

TEST(Source, Between) {
  std::string_view f = intern_filename("b.hcl");
  Range a{f, Pos{1, 1, 0}, Pos{1, 4, 3}};
  Range b{f, Pos{2, 1, 10}, Pos{2, 5, 14}};
  Range r = Range::between(a, b);
  EXPECT_EQ(r.start, a.start);
  EXPECT_EQ(r.end, b.end);
  EXPECT_FALSE(r.empty());
  EXPECT_TRUE((Range{f, Pos{1, 1, 3}, Pos{1, 1, 3}}).empty());
}

}  // namespace
}  // namespace kiln::hcl
