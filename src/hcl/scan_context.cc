#include "hcl/scan_context.h"

#include <vector>

#include "hcl/scan_string_lit.h"
#include "hcl/token.h"

namespace kiln::hcl {

std::string native_context_string(std::string_view src, size_t offset) {
  std::vector<Token> toks = scan_tokens(src, "", Pos{}, ScanMode::Normal);
  const size_t n = toks.size();
  size_t i = 0;
  auto skip_comments = [&](size_t k) {
    while (k < n && toks[k].type == TokenType::Comment) ++k;
    return k;
  };
  bool at_item_start = true;
  while (i < n && toks[i].type != TokenType::EOF_) {
    const Token& t = toks[i];
    if (t.type == TokenType::Newline || t.type == TokenType::Comment) {
      // A line comment ends with its newline, so it also ends an item.
      at_item_start = true;
      ++i;
      continue;
    }
    if (at_item_start && t.type == TokenType::Ident) {
      // A block header: type, labels (identifiers or quoted strings), "{".
      std::string header(t.bytes);
      size_t k = skip_comments(i + 1);
      bool ok = true;
      while (k < n && toks[k].type != TokenType::OBrace) {
        if (toks[k].type == TokenType::Ident) {
          header += ' ';
          header += go_quote_string(toks[k].bytes);
          k = skip_comments(k + 1);
        } else if (toks[k].type == TokenType::OQuote) {
          std::string label;
          size_t q = k + 1;
          Diagnostics ignored;
          while (q < n && toks[q].type == TokenType::QuotedLit) {
            decode_string_lit(toks[q].bytes, toks[q].range, true, label, ignored);
            ++q;
          }
          if (q >= n || toks[q].type != TokenType::CQuote) {
            ok = false;
            break;
          }
          header += ' ';
          header += go_quote_string(label);
          k = skip_comments(q + 1);
        } else {
          ok = false;
          break;
        }
      }
      if (ok && k < n && toks[k].type == TokenType::OBrace) {
        // Find the closing brace.
        int depth = 0;
        size_t q = k;
        for (; q < n && toks[q].type != TokenType::EOF_; ++q) {
          if (toks[q].type == TokenType::OBrace) {
            ++depth;
          } else if (toks[q].type == TokenType::CBrace) {
            if (--depth == 0) break;
          }
        }
        size_t start = t.range.start.byte;
        size_t end = q < n && toks[q].type == TokenType::CBrace ? toks[q].range.end.byte
                                                                : toks[q - 1].range.end.byte;
        if (offset >= start && offset < end) return header;
        i = q < n ? q + 1 : q;
        at_item_start = false;
        continue;
      }
    }
    // Anything else (an attribute, a stray token): skip to the end of the
    // line at bracket depth 0.
    at_item_start = false;
    int depth = 0;
    while (i < n && toks[i].type != TokenType::EOF_) {
      TokenType ty = toks[i].type;
      if (ty == TokenType::OBrace || ty == TokenType::OBrack || ty == TokenType::OParen) {
        ++depth;
      } else if (ty == TokenType::CBrace || ty == TokenType::CBrack || ty == TokenType::CParen) {
        if (depth > 0) --depth;
      } else if (depth == 0 && (ty == TokenType::Newline || ty == TokenType::Comment)) {
        break;
      }
      ++i;
    }
  }
  return "";
}

}  // namespace kiln::hcl
