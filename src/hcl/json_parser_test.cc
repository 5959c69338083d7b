// The JSON scanner and parser details that the golden tables do not reach:
// invalid UTF-8, Go-style quoting in messages, name suggestions, start
// positions and the expression entry point.
#include <gtest/gtest.h>

#include <string>

#include "hcl/json_ast.h"
#include "hcl/json_syntax.h"
#include "hcl/parse.h"

namespace kiln::hcl {
namespace {

std::string pos_str(const Pos& p) {
  return std::to_string(p.line) + "," + std::to_string(p.column) + "," + std::to_string(p.byte);
}
std::string range_str(const Range& r) {
  return pos_str(r.start) + "-" + pos_str(r.end);
}

TEST(JsonParser, InvalidUtf8BecomesReplacementCharacters) {
  // As hcldec: each invalid byte is one column and one U+FFFD.
  Diagnostics d;
  File f = parse_json_file("{\"a\": \"x\xffy\xe2\x82z\", \"b\": tru}", "inv.json", d);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].summary, "Invalid JSON keyword");
  EXPECT_EQ(range_str(*d[0].subject), "1,22,21-1,25,24");

  Diagnostics d2;
  File g = parse_json_file("{\"a\": \"x\xffy\xe2\x82z\"}", "inv.json", d2);
  Attributes attrs = g.body->just_attributes(d2);
  ASSERT_TRUE(d2.empty());
  EXPECT_EQ(attrs.at("a").expr->value(nullptr, d2).as_string(),
            "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBDz");
}

TEST(JsonParser, OverlongAndSurrogateEncodingsAreInvalid) {
  Diagnostics d;
  ExpressionPtr e =
      json::parse_expression("\"\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\"", "e.json", Pos{}, d);
  ASSERT_TRUE(d.empty());
  std::string want;
  for (int i = 0; i < 9; ++i) want += "\xEF\xBF\xBD";
  EXPECT_EQ(e->value(nullptr, d).as_string(), want);
}

TEST(JsonParser, GoQuote) {
  EXPECT_EQ(json::go_quote("\u00a0\x01\xff"), R"("\u00a0\x01\xff")");
  EXPECT_EQ(json::go_quote("é😀\t\"\\"), R"("é😀\t\"\\")");
  EXPECT_EQ(json::go_quote("\u200b\U000e0001\x7f\u0378"), R"("\u200b\U000e0001\x7f\u0378")");
  EXPECT_EQ(json::go_quote("a\u0301\u3000 ~"), "\"a\u0301\\u3000 ~\"");
}

TEST(JsonParser, NameSuggestion) {
  std::vector<std::string> kw = {"false", "true", "null"};
  EXPECT_EQ(json::name_suggestion("True", kw), "true");
  EXPECT_EQ(json::name_suggestion("nul", kw), "null");
  EXPECT_EQ(json::name_suggestion("FALSE", kw), "");
  EXPECT_EQ(json::name_suggestion("fals_e", kw), "false");
  // Distances count characters, not bytes.
  EXPECT_EQ(json::name_suggestion("trüé", kw), "true");
}

TEST(JsonParser, StartPosition) {
  Diagnostics d;
  File f = json::parse("{\"a\": tru}", "p.json", Pos{10, 4, 100}, d);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(range_str(*d[0].subject), "10,10,106-10,13,109");
  EXPECT_EQ(d[0].subject->filename, "p.json");
}

TEST(JsonParser, ExpressionTrailingData) {
  Diagnostics d;
  ExpressionPtr e = json::parse_expression("1 2", "e.json", Pos{}, d);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].summary, "Extraneous data after value");
  EXPECT_EQ(range_str(*d[0].subject), "1,3,2-1,4,3");
  EXPECT_EQ(e->value(nullptr, d).as_number().str(), "1");
}

TEST(JsonParser, InvalidStringHasContext) {
  Diagnostics d;
  json::parse_expression(R"("ab\q")", "e.json", Pos{}, d);
  ASSERT_EQ(d.size(), 1u);
  // As encoding/json reports it: one past the offending byte.
  EXPECT_EQ(range_str(*d[0].subject), "1,6,5-1,7,6");
  ASSERT_TRUE(d[0].context.has_value());
  EXPECT_EQ(range_str(*d[0].context), "1,1,0-1,7,6");
}

TEST(JsonParser, ScannerTokens) {
  json::Scanner s("\t{\"é\u0301\" :\r\n -1.5e3,x", "s.json", Pos{});
  std::vector<std::string> got;
  for (;;) {
    json::Tok t = s.next();
    got.push_back(std::string(t.bytes) + "@" + range_str(t.range));
    if (t.type == json::TokType::Eof) break;
  }
  std::vector<std::string> want = {
      "{@1,3,1-1,4,2",   "\"é\u0301\"@1,4,2-1,7,8", ":@1,8,9-1,9,10",   "-1.5e3@2,2,13-2,8,19",
      ",@2,8,19-2,9,20", "x@2,9,20-2,10,21",        "@2,10,21-2,10,21",
  };
  EXPECT_EQ(got, want);
}

TEST(JsonParser, ScanningStopsAtAnInvalidByte) {
  json::Scanner s("[\xc3\xa9 1]", "s.json", Pos{});
  EXPECT_EQ(s.next().type, json::TokType::BrackO);
  json::Tok bad = s.next();
  EXPECT_EQ(bad.type, json::TokType::Invalid);
  EXPECT_EQ(range_str(bad.range), "1,2,1-1,3,2");
  json::Tok eof = s.next();
  EXPECT_EQ(eof.type, json::TokType::Eof);
  EXPECT_EQ(range_str(eof.range), "1,3,2-1,3,2");
  EXPECT_EQ(s.next().type, json::TokType::Eof);
}

}  // namespace
}  // namespace kiln::hcl
