// Tokens of HCL's native syntax, as hclsyntax scans them. The scanner
// (lexer.cc) is shared by the parser and the formatter.
#pragma once

#include <string_view>
#include <vector>

#include "hcl/diagnostic.h"
#include "hcl/source.h"

namespace kiln::hcl {

enum class TokenType : uint8_t {
  OBrace, CBrace, OBrack, CBrack, OParen, CParen,
  OQuote, CQuote, OHeredoc, CHeredoc,
  Star, Slash, Plus, Minus, Percent,
  Equal,         // =
  EqualOp,       // ==
  NotEqual,      // !=
  LessThan, LessThanEq, GreaterThan, GreaterThanEq,
  And, Or, Bang,
  Dot, Comma, Ellipsis, FatArrow, Question, Colon,
  TemplateInterp,   // ${ or ${~
  TemplateControl,  // %{ or %{~
  TemplateSeqEnd,   // } or ~}
  QuotedLit,   // literal part of a quoted template; may hold backslash escapes
  StringLit,   // literal part of a heredoc; no escapes
  NumberLit, Ident, Comment, Newline, EOF_,
  // Characters that are never valid, kept so the parser can report them well.
  BitwiseAnd, BitwiseOr, BitwiseNot, BitwiseXor, StarStar, Apostrophe, Backtick, Semicolon,
  Tabs, Invalid, QuotedNewline,
  Nil,
};

struct Token {
  TokenType type = TokenType::Nil;
  std::string_view bytes;  // a view into the source buffer, which must outlive it
  Range range;
};

enum class ScanMode { Normal, Template, IdentOnly };

// Scans src (whose first byte is at `start`) into tokens, always ending with
// an EOF_ token. Scanning never fails: bad characters become tokens the
// parser reports.
std::vector<Token> scan_tokens(std::string_view src, std::string_view filename, Pos start,
                               ScanMode mode);

// The name hclsyntax gives a token type in messages ("newline", "'{'" ...).
const char* token_type_name(TokenType t);

}  // namespace kiln::hcl
