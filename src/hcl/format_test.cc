// Expected outputs come from HashiCorp's hclfmt (hclwrite.Format), run on
// the same inputs.
#include "hcl/format.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace kiln::hcl {
namespace {

void expect_format(std::string_view in, std::string_view want) {
  std::string got = format_hcl(in);
  EXPECT_EQ(got, want) << "input:\n" << in;
  // Formatting is idempotent on these inputs.
  EXPECT_EQ(format_hcl(got), got) << "formatting twice differs for:\n" << in;
}

TEST(FormatHcl, AlignsEqualsInChain) {
  expect_format("a=1\nbbb = 2\ncc   =  3\n", "a   = 1\nbbb = 2\ncc  = 3\n");
}

TEST(FormatHcl, BlankLineBreaksChain) {
  expect_format("a = 1\nlonger = 2\n\nx = 3\nyy = 4\n",
                "a      = 1\nlonger = 2\n\nx  = 3\nyy = 4\n");
}

TEST(FormatHcl, CommentLineBreaksChain) {
  expect_format("a = 1\n# c\nlonger = 2\n", "a = 1\n# c\nlonger = 2\n");
}

TEST(FormatHcl, IndentsNestedBlocks) {
  expect_format("a {\nb {\nc = 1\n}\n}\n", "a {\n  b {\n    c = 1\n  }\n}\n");
}

TEST(FormatHcl, ObjectBracesGetInnerSpaces) {
  expect_format("o = {a=1,b=2}\ne = {}\nf = {   }\n", "o = { a = 1, b = 2 }\ne = {}\nf = {}\n");
}

TEST(FormatHcl, NoSpacesInsideBrackets) {
  expect_format("l = [ 1 , 2 ]\nc = f( 1 , 2 )\n", "l = [1, 2]\nc = f(1, 2)\n");
}

TEST(FormatHcl, FunctionNameAndParen) {
  expect_format("a = f (1)\n", "a = f(1)\n");
}

TEST(FormatHcl, DotsAndIndexes) {
  expect_format("a = var . x [0] . y\nb = v[*].id\n", "a = var.x[0].y\nb = v[*].id\n");
}

TEST(FormatHcl, UnaryMinusHeuristic) {
  expect_format("a = -1\nb = 5 - -3\nc = [-1, - 2]\nd = x-1\ne = f(-1)\nf = c ? -1 : -2\n",
                "a = -1\nb = 5 - -3\nc = [-1, -2]\nd = x-1\ne = f(-1)\nf = c ? -1 : -2\n");
}

TEST(FormatHcl, BangHasNoSpaceAfter) {
  expect_format("a = ! true\nb = !x&&! y\n", "a = !true\nb = !x && !y\n");
}

TEST(FormatHcl, TrailingCommentsAligned) {
  expect_format("a = 1 # one\nbbb = 22 # two\n\nc = 3 // three\n",
                "a   = 1  # one\nbbb = 22 # two\n\nc = 3 // three\n");
}

TEST(FormatHcl, CommentAlignAfterBlockClose) {
  expect_format("b {\n} # end\nx = 1 # x\n", "b {\n}     # end\nx = 1 # x\n");
}

TEST(FormatHcl, HeredocBodyUntouched) {
  expect_format("a = <<EOT\n   keep  this\nEOT\nbb = 1\n",
                "a  = <<EOT\n   keep  this\nEOT\nbb = 1\n");
}

TEST(FormatHcl, IndentedHeredocInBlock) {
  expect_format("b {\nx = <<-EOT\n    hello ${ upper( var.y ) }\n    EOT\n}\n",
                "b {\n  x = <<-EOT\n    hello ${upper(var.y)}\n    EOT\n}\n");
}

TEST(FormatHcl, TemplateInterpolationSpacing) {
  expect_format("a = \"x${  var.y  }z\"\nb = \"%{if c}y%{endif}\"\nc = \"${{a=1}}\"\n",
                "a = \"x${var.y}z\"\nb = \"%{if c}y%{endif}\"\nc = \"${ { a = 1 } }\"\n");
}

TEST(FormatHcl, ForExpressions) {
  expect_format("a = [for x in [1,2]: x if x>1]\nb = {for k,v in m : k=>v...}\n",
                "a = [for x in [1, 2] : x if x > 1]\nb = { for k, v in m : k => v... }\n");
}

TEST(FormatHcl, TrailingWhitespaceRemoved) {
  expect_format("a = 1   \nb {   \n}  \n", "a = 1\nb {\n}\n");
}

TEST(FormatHcl, SpacesAtEndOfFileKept) {
  expect_format("a = 1\n   ", "a = 1\n   ");
}

TEST(FormatHcl, NoFinalNewline) {
  expect_format("a = {\nb = 1\n}", "a = {\n  b = 1\n}");
}

TEST(FormatHcl, CrLfLineEndings) {
  expect_format("a = 1\r\nbb = 2\r\nc {\r\nd=1\r\n}\r\n",
                "a  = 1\r\nbb = 2\r\nc {\r\n  d = 1\r\n}\r\n");
}

TEST(FormatHcl, UnicodeColumnsAreGraphemes) {
  expect_format(
      "\xc3"
      "\xa9"
      "\xc3"
      "\xa9"
      " = 1\nabc = 2\nx = \"\xf0"
      "\x9f"
      "\x91"
      "\xa8"
      "\xe2"
      "\x80"
      "\x8d"
      "\xf0"
      "\x9f"
      "\x91"
      "\xa9"
      "\xe2"
      "\x80"
      "\x8d"
      "\xf0"
      "\x9f"
      "\x91"
      "\xa7"
      "\" # c\nyy = 1 # d\n",
      "\xc3"
      "\xa9"
      "\xc3"
      "\xa9"
      "  = 1\nabc = 2\nx   = \"\xf0"
      "\x9f"
      "\x91"
      "\xa8"
      "\xe2"
      "\x80"
      "\x8d"
      "\xf0"
      "\x9f"
      "\x91"
      "\xa9"
      "\xe2"
      "\x80"
      "\x8d"
      "\xf0"
      "\x9f"
      "\x91"
      "\xa7"
      "\" # c\nyy  = 1   # d\n");
}

TEST(FormatHcl, MultiLineValueNotAligned) {
  expect_format("a = [\n1,\n]\nbbbb = 1\nc = 2\n", "a = [\n  1,\n]\nbbbb = 1\nc    = 2\n");
}

TEST(FormatHcl, SeveralClosersOnOneLine) {
  expect_format("a = { b = { c = {\nd = 1\n} } }\ne = 1\n",
                "a = { b = { c = {\n  d = 1\n} } }\ne = 1\n");
}

TEST(FormatHcl, UnbalancedClosersDoNotGoNegative) {
  expect_format("}\n}\na = 1\n", "}\n}\na = 1\n");
}

TEST(FormatHcl, ColonObjects) {
  expect_format("a = {\"x\": 1, \"y\":2}\n", "a = { \"x\" : 1, \"y\" : 2 }\n");
}

TEST(FormatHcl, BlockCommentsInLine) {
  expect_format("a = /* c */ 1\nb /* c */ = 2\n", "a         = /* c */ 1\nb /* c */ = 2\n");
}

TEST(FormatHcl, InKeywordBeforeTuple) {
  expect_format("a = [for x in [foo]: x]\n", "a = [for x in [foo] : x]\n");
}

TEST(FormatHcl, EmptyInput) {
  expect_format("", "");
}

TEST(FormatHcl, OnlyNewlines) {
  expect_format("\n\n\n", "\n\n\n");
}

TEST(FormatHcl, UnterminatedStringTolerated) {
  expect_format("a = \"abc\nb = 1\n", "a = \"abc\nb = 1\n");
}

TEST(FormatHcl, InvalidCharactersTolerated) {
  expect_format("a = 1 ; b = 2\nc = `x`\n", "a = 1 ; b = 2\nc = ` x `\n");
}

TEST(FormatHcl, UnclosedBlockTolerated) {
  expect_format("a {\nb = 1\n", "a {\n  b = 1\n");
}

TEST(FormatHcl, TabsTolerated) {
  expect_format("a {\n\tb = 1\n}\n", "a {\n  b = 1\n}\n");
}

TEST(FormatHcl, NamespacedFunctions) {
  expect_format("attr = provider :: framework :: example( )\nb = a :: 2\n",
                "attr = provider::framework::example()\nb    = a:: 2\n");
}

TEST(FormatHcl, InvalidUtf8CountsOneColumnPerByte) {
  expect_format(
      "a = \"\xff"
      "\xfe"
      "\" # c\nbbbbbb = 1 # d\n",
      "a      = \"\xff"
      " \xfe"
      "\" # c\nbbbbbb = 1     # d\n");
}

TEST(FormatHcl, HeredocInterpolationsKeepBracketsBalanced) {
  expect_format("x {\ny = <<EOT\n${a}%{if b}c%{endif}\nEOT\nz = 1\n}\n",
                "x {\n  y = <<EOT\n${a}%{if b}c%{endif}\nEOT\n  z = 1\n}\n");
}

TEST(FormatHcl, MultiLineBlockComment) {
  expect_format("a {\n/* one\n   two */\nb = 1\n}\n", "a {\n  /* one\n   two */\n  b = 1\n}\n");
}

TEST(FormatHcl, AttributeInsideOneLineBlockNotAligned) {
  expect_format("a { b = 1 }\ncc = 2\n", "a { b = 1 }\ncc = 2\n");
}

TEST(FormatHcl, ConditionalsAndMinus) {
  expect_format("a = b ? -1 : c - 1\nd = (e) - 1\nf = g[0] - -1\n",
                "a = b ? -1 : c - 1\nd = (e) - 1\nf = g[0] - -1\n");
}

// format_tokens on hand-built token sequences: the formatter alone, without
// the scanner. Each piece is (type, text, spaces before it).
struct Piece {
  TokenType type;
  std::string_view text;
  size_t spaces;
};

std::string format_pieces(std::initializer_list<Piece> pieces, std::string& src) {
  src.clear();
  for (const Piece& p : pieces) src.append(p.spaces, ' ').append(p.text);
  std::vector<Token> toks;
  size_t at = 0;
  for (const Piece& p : pieces) {
    at += p.spaces;
    Token t;
    t.type = p.type;
    t.bytes = std::string_view(src).substr(at, p.text.size());
    t.range.start.byte = at;
    t.range.end.byte = at + p.text.size();
    toks.push_back(t);
    at += p.text.size();
  }
  return format_tokens(toks);
}

TEST(FormatTokens, SpacesComeFromTheGapsBetweenRanges) {
  using TT = TokenType;
  std::string src;
  // "  a  =   f (  1 ,2 )  \n" -> "a = f(1, 2)\n"
  EXPECT_EQ(format_pieces({{TT::Ident, "a", 2},
                           {TT::Equal, "=", 2},
                           {TT::Ident, "f", 3},
                           {TT::OParen, "(", 1},
                           {TT::NumberLit, "1", 2},
                           {TT::Comma, ",", 1},
                           {TT::NumberLit, "2", 0},
                           {TT::CParen, ")", 1},
                           {TT::Newline, "\n", 2},
                           {TT::EOF_, "", 0}},
                          src),
            "a = f(1, 2)\n");
}

TEST(FormatTokens, TrailingSpacesBeforeEofAreKept) {
  using TT = TokenType;
  std::string src;
  EXPECT_EQ(format_pieces({{TT::Ident, "a", 0},
                           {TT::Equal, "=", 0},
                           {TT::NumberLit, "1", 0},
                           {TT::Newline, "\n", 0},
                           {TT::EOF_, "", 3}},
                          src),
            "a = 1\n   ");
}

TEST(FormatTokens, WithoutEofTheLastLineIsStillFormatted) {
  using TT = TokenType;
  std::string src;
  EXPECT_EQ(format_pieces({{TT::Ident, "bb", 0},
                           {TT::Equal, "=", 0},
                           {TT::NumberLit, "1", 0},
                           {TT::Newline, "\n", 0},
                           {TT::Ident, "a", 4},
                           {TT::Equal, "=", 0},
                           {TT::NumberLit, "2", 0}},
                          src),
            "bb = 1\na  = 2");
}

TEST(FormatTokens, EmptySequence) {
  EXPECT_EQ(format_tokens({}), "");
}

}  // namespace
}  // namespace kiln::hcl
