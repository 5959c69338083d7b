// Tokens of HCL's native syntax, as hclsyntax scans them. The scanner
// (lexer.cc) is shared by the parser and the formatter.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hcl/diagnostic.h"
#include "hcl/source.h"

namespace kiln::hcl {

// clang-format off
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
  DoubleColon,   // :: (HCL 2.20+, provider function namespaces)
  TemplateInterp,   // ${ or ${~
  TemplateControl,  // %{ or %{~
  TemplateSeqEnd,   // } or ~}
  QuotedLit,   // literal part of a quoted template; may hold backslash escapes
  StringLit,   // literal part of a heredoc; no escapes
  NumberLit, Ident, Comment, Newline, EOF_,
  // Characters that are never valid, kept so the parser can report them well.
  BitwiseAnd, BitwiseOr, BitwiseNot, BitwiseXor, StarStar, Apostrophe, Backtick, Semicolon,
  Tabs, Invalid, QuotedNewline,
  BadUTF8,       // a byte that starts no UTF-8 sequence ("Invalid character encoding")
  Nil,
};
// clang-format on

struct Token {
  TokenType type = TokenType::Nil;
  std::string_view bytes;  // a view into the source buffer, which must outlive it
  Range range;
};

enum class ScanMode { Normal, Template, IdentOnly };

// Scans src (whose first byte is at `start`) into tokens, always ending with
// an EOF_ token. Scanning never fails: bad characters become tokens the
// parser reports. A UTF-8 byte order mark at the start is skipped. The
// filename is interned; token bytes are views into src.
std::vector<Token> scan_tokens(std::string_view src, std::string_view filename, Pos start,
                               ScanMode mode);

// The name hclsyntax gives a token type in messages ("newline", "'{'" ...).
const char* token_type_name(TokenType t);

// True for the OHeredoc token of a flush heredoc ("<<-EOT").
inline bool token_opens_flush_heredoc(const Token& t) {
  return t.type == TokenType::OHeredoc && t.bytes.size() > 2 && t.bytes[2] == '-';
}

// Reports tokens that are never valid in HCL (bitwise operators, "`", "'",
// ";", bad UTF-8, quoted newlines, curly quotes, ...) with hclsyntax's
// messages and its limits on repeats (checkInvalidTokens). The parser
// appends these to what it reports for a file.
void check_invalid_tokens(const std::vector<Token>& tokens, Diagnostics& diags);

}  // namespace kiln::hcl
