// Decoding of literal tokens, compared with HashiCorp's
// hclsyntax.ParseStringLiteralToken: for each input (scanned as a config
// file), every QuotedLit/StringLit token's decoded bytes (hex) followed by
// its diagnostics, as Go produced them.
#include "hcl/scan_string_lit.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace kiln::hcl {
namespace {

struct Case {
  std::string src;
  std::vector<std::string> want;
};

const Case kCases[] = {
    {"\"plain\"", {"706c61696e"}},
    {"\"a\\nb\\rc\\td\\\"e\\\\f\"", {"610a620d63096422655c66"}},
    {"\"\\u00e9\\U0001F600x\"", {"c3a9f09f988078"}},
    {"\"\\u00e\"",
     {"5c75303065",
      "  Invalid escape sequence | The \\u escape sequence must be followed by four hexadecimal "
      "digits. | f:1,2-7"}},
    {"\"\\u\"",
     {"5c75",
      "  Invalid escape sequence | The \\u escape sequence must be followed by four hexadecimal "
      "digits. | f:1,2-4"}},
    {"\"\\U1234\"",
     {"5c5531323334",
      "  Invalid escape sequence | The \\U escape sequence must be followed by eight hexadecimal "
      "digits. | f:1,2-8"}},
    {"\"\\uD800\"",
     {"5c7544383030",
      "  Invalid escape sequence | Cannot encode character U+d800 in UTF-8. | f:1,2-8"}},
    {"\"\\U00110000\"",
     {"5c553030313130303030",
      "  Invalid escape sequence | Cannot encode character U+110000 in UTF-8. | f:1,2-12"}},
    {"\"\\q\"",
     {"71",
      "  Invalid escape sequence | The symbol \"q\" is not a valid escape sequence selector. | "
      "f:1,2-4"}},
    {"\"a\\\xc3"
     "\\xa9\"",
     {"61", "786139",
      "  Invalid escape sequence | The symbol \"x\" is not a valid escape sequence selector. | "
      "f:1,5-7"}},
    {"\"\\\xc3"
     "\xa9"
     "b\"",
     {"c3a962",
      "  Invalid escape sequence | The symbol \"\xc3"
      "\xa9"
      "\" is not a valid escape sequence selector. | f:1,2-4"}},
    {"\"\\u12345\"", {"e188b435"}},
    {"\"\\ud7ff\\ue000\"", {"ed9fbfee8080"}},
    {"\"x\\zy\\\"",
     {"787a7922",
      "  Invalid escape sequence | The symbol \"z\" is not a valid escape sequence selector. | "
      "f:1,3-5"}},
    {"\"$${a}%%{b}$$\"", {"247b", "617d", "257b", "627d", "24", "24"}},
    {"\"a$b%c\"", {"61", "24", "62", "25", "63"}},
    {"\"\xc3"
     "\xa9"
     "\\q\"",
     {"c3a971",
      "  Invalid escape sequence | The symbol \"q\" is not a valid escape sequence selector. | "
      "f:1,3-5"}},
    {"\"e\xcc"
     "\x81"
     "e\xcc"
     "\x81"
     "\\x\"",
     {"65cc8165cc8178",
      "  Invalid escape sequence | The symbol \"x\" is not a valid escape sequence selector. | "
      "f:1,4-6"}},
    {"\"\\\x01"
     "\"",
     {"01",
      "  Invalid escape sequence | The symbol \"\\x01\" is not a valid escape sequence selector. | "
      "f:1,2-4"}},
    {"\"\\ \"",
     {"20",
      "  Invalid escape sequence | The symbol \" \" is not a valid escape sequence selector. | "
      "f:1,2-4"}},
    {"\"\\\xe2"
     "\x80"
     "\xa8"
     "\"",
     {"e280a8",
      "  Invalid escape sequence | The symbol \"\\u2028\" is not a valid escape sequence selector. "
      "| f:1,2-4"}},
    {"\"\\\xc2"
     "\xa0"
     "\"",
     {"c2a0",
      "  Invalid escape sequence | The symbol \"\\u00a0\" is not a valid escape sequence selector. "
      "| f:1,2-4"}},
    {"<<EOT\na\\nb $${x} %%{y} $$\nEOT\n",
     {"615c6e6220", "247b", "787d20", "257b", "797d20", "2424", "0a"}},
    {"<<EOT\n\\u0041\nEOT\n", {"5c75303034310a"}},
    {"\"%F\\\xff"
     "\\ue\xcc"
     "\x81"
     "\\\xe2"
     "\x80"
     "\xa8"
     "\\u00e9\x09"
     "\\\xe2"
     "\x80"
     "\xa8"
     "{\\\x7f"
     "\\U00110000\"",
     {"25", "46", "5c7565cc81e280a8c3a909e280a87b7f5c553030313130303030",
      "  Invalid escape sequence | The \\u escape sequence must be followed by four hexadecimal "
      "digits. | f:1,6-9",
      "  Invalid escape sequence | The symbol \"\\u2028\" is not a valid escape sequence selector. "
      "| f:1,10-12",
      "  Invalid escape sequence | The symbol \"\\u2028\" is not a valid escape sequence selector. "
      "| f:1,19-21",
      "  Invalid escape sequence | The symbol \"\\x7f\" is not a valid escape sequence selector. | "
      "f:1,22-24",
      "  Invalid escape sequence | Cannot encode character U+110000 in UTF-8. | f:1,24-34"}},
    {"\"\\\x09"
     "n\\\xff"
     "\\na\\\\U0001F600\\ \\Ue\xcc"
     "\x81"
     "F\\\xf0"
     "\x9f"
     "\x98"
     "\x80"
     "D\\\xc2"
     "\xa0"
     "\"",
     {"096e",
      "  Invalid escape sequence | The symbol \"\\t\" is not a valid escape sequence selector. | "
      "f:1,2-4",
      "0a615c553030303146363030205c5565cc8146f09f988044c2a0",
      "  Invalid escape sequence | The symbol \" \" is not a valid escape sequence selector. | "
      "f:1,21-23",
      "  Invalid escape sequence | The \\U escape sequence must be followed by eight hexadecimal "
      "digits. | f:1,23-26",
      "  Invalid escape sequence | The symbol \"\xf0"
      "\x9f"
      "\x98"
      "\x80"
      "\" is not a valid escape sequence selector. | f:1,28-30",
      "  Invalid escape sequence | The symbol \"\\u00a0\" is not a valid escape sequence selector. "
      "| f:1,31-33"}},
};

TEST(ScanStringLit, MatchesHashicorpDecoding) {
  for (const Case& c : kCases) {
    std::vector<std::string> got;
    for (const Token& t : scan_tokens(c.src, "f", Pos{}, ScanMode::Normal)) {
      if (t.type != TokenType::QuotedLit && t.type != TokenType::StringLit) continue;
      Diagnostics diags;
      std::string s = decode_string_lit(t, diags);
      std::string h;
      char buf[4];
      for (unsigned char ch : s) {
        std::snprintf(buf, sizeof buf, "%02x", ch);
        h += buf;
      }
      got.push_back(h);
      for (const Diagnostic& d : diags)
        got.push_back("  " + d.summary + " | " + d.detail + " | " + d.subject->str());
    }
    EXPECT_EQ(got, c.want) << "input: " << c.src;
  }
}

TEST(ScanStringLit, Slices) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(scan_string_lit("ab\\ncd\\u00e9$$${x}\r\n\\", true),
            (V{"ab", "\\n", "cd", "\\u00e9", "$$", "$", "{x}", "\r\n", "\\"}));
  EXPECT_EQ(scan_string_lit("$$$%%{\\n\r\rx", false),
            (V{"$$", "$", "%%{", "\\n", "\r", "\r", "x"}));
  EXPECT_EQ(scan_string_lit("", true), V{});
}

TEST(ScanStringLit, AppendsAndReports) {
  std::string out = "pre:";
  Diagnostics diags;
  Range r{intern_filename("x.hcl"), Pos{2, 3, 10}, Pos{2, 9, 16}};
  EXPECT_TRUE(decode_string_lit("a\\tb", r, true, out, diags));
  EXPECT_EQ(out, "pre:a\tb");
  EXPECT_FALSE(decode_string_lit("\\k", r, true, out, diags));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].subject->str(), "x.hcl:2,3-5");
  EXPECT_EQ(diags[0].subject->start.byte, 10u);
  EXPECT_EQ(out, "pre:a\tbk");
}

}  // namespace
}  // namespace kiln::hcl
