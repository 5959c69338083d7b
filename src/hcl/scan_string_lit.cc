#include "hcl/scan_string_lit.h"

#include <utf8proc.h>

#include <cstdio>

namespace kiln::hcl {

namespace {

inline bool is_cont(unsigned char c) {
  return c >= 0x80 && c <= 0xBF;
}

// Length of the loosely formed UTF-8 sequence at s[p] (AnyUTF8 of the Ragel
// grammar), or 0.
size_t any_utf8_len(std::string_view s, size_t p) {
  unsigned char c = static_cast<unsigned char>(s[p]);
  if (c < 0x80) return 1;
  size_t need = c >= 0xC0 && c <= 0xDF   ? 1
                : c >= 0xE0 && c <= 0xEF ? 2
                : c >= 0xF0 && c <= 0xF7 ? 3
                                         : 0;
  if (need == 0 || p + need >= s.size()) return 0;
  for (size_t i = 1; i <= need; ++i)
    if (!is_cont(static_cast<unsigned char>(s[p + i]))) return 0;
  return need + 1;
}

inline bool is_hex(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

// The length of the escape or newline token at s[p], or 0 if s[p] is a
// literal character.
size_t special_len(std::string_view s, size_t p, bool quoted) {
  const size_t n = s.size();
  unsigned char c = static_cast<unsigned char>(s[p]);
  switch (c) {
    case '\r':
      return p + 1 < n && s[p + 1] == '\n' ? 2 : 1;
    case '\n':
      return 1;
    case '$':
    case '%':
      if (p + 1 < n && static_cast<unsigned char>(s[p + 1]) == c)
        return p + 2 < n && s[p + 2] == '{' ? 3 : 2;
      return 1;
    case '\\': {
      if (!quoted) return 0;
      if (p + 1 >= n) return 1;
      char sel = s[p + 1];
      if (sel == 'u' || sel == 'U') {
        size_t max = sel == 'u' ? 4 : 8;
        size_t q = p + 2;
        while (q < n && q - (p + 2) < max && is_hex(static_cast<unsigned char>(s[q]))) ++q;
        return q - p;
      }
      size_t l = any_utf8_len(s, p + 1);
      return 1 + l;
    }
    default:
      return 0;
  }
}

// Advances pos over text as ParseStringLiteralToken does: one column per
// grapheme cluster, a new line for a cluster that starts with CR or LF.
void advance(Pos& pos, std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t next;
    if (c < 0x80 && (i + 1 >= n || static_cast<unsigned char>(text[i + 1]) < 0x80)) {
      next = (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? i + 2 : i + 1;
    } else {
      utf8proc_int32_t prev;
      auto* base = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
      utf8proc_ssize_t l = utf8proc_iterate(base + i, static_cast<utf8proc_ssize_t>(n - i), &prev);
      if (l <= 0) {
        size_t loose = any_utf8_len(text, i);
        next = i + (loose ? loose : 1);
      } else {
        next = i + static_cast<size_t>(l);
        utf8proc_int32_t state = 0;
        while (next < n) {
          utf8proc_int32_t cp;
          utf8proc_ssize_t m =
              utf8proc_iterate(base + next, static_cast<utf8proc_ssize_t>(n - next), &cp);
          if (m <= 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) break;
          prev = cp;
          next += static_cast<size_t>(m);
        }
      }
    }
    if (c == '\r' || c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
    pos.byte += next - i;
    i = next;
  }
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::vector<std::string_view> scan_string_lit(std::string_view s, bool quoted) {
  std::vector<std::string_view> ret;
  size_t lit = 0, p = 0;
  while (p < s.size()) {
    size_t l = special_len(s, p, quoted);
    if (l == 0) {
      ++p;
      continue;
    }
    if (lit < p) ret.push_back(s.substr(lit, p - lit));
    ret.push_back(s.substr(p, l));
    p += l;
    lit = p;
  }
  if (lit < p) ret.push_back(s.substr(lit, p - lit));
  return ret;
}

bool decode_string_lit(std::string_view s, const Range& range, bool quoted, std::string& out,
                       Diagnostics& diags) {
  bool ok = true;
  size_t lit = 0, p = 0;
  out.reserve(out.size() + s.size());
  auto error = [&](size_t start, size_t len, std::string detail) {
    Range r;
    r.filename = range.filename;
    r.start = range.start;
    // Columns count per slice, as hclsyntax walks them (a combining mark
    // that starts a slice is a column of its own).
    for (std::string_view slice : scan_string_lit(s.substr(0, start), quoted))
      advance(r.start, slice);
    r.end = r.start;
    advance(r.end, s.substr(start, len));
    diags.error("Invalid escape sequence", std::move(detail), r);
    ok = false;
  };
  while (p < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[p]);
    // Fast skip over plain text.
    if (c != '\\' && c != '$' && c != '%') {
      ++p;
      continue;
    }
    size_t l = special_len(s, p, quoted);
    if (l == 0) {
      ++p;
      continue;
    }
    out.append(s.substr(lit, p - lit));
    std::string_view slice = s.substr(p, l);
    if (c == '$' || c == '%') {
      if (l == 3)
        (out += static_cast<char>(c)) += '{';
      else
        out.append(slice);
    } else if (l < 2) {
      error(p, l, "Backslash must be followed by an escape sequence selector character.");
      out.append(slice);
    } else {
      switch (slice[1]) {
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case 'u':
        case 'U': {
          bool shrt = slice[1] == 'u';
          if (slice.size() != (shrt ? 6u : 10u)) {
            error(p, l,
                  shrt ? "The \\u escape sequence must be followed by four hexadecimal digits."
                       : "The \\U escape sequence must be followed by eight hexadecimal digits.");
            out.append(slice);
            break;
          }
          uint32_t cp = 0;
          for (char h : slice.substr(2)) {
            unsigned char d = static_cast<unsigned char>(h);
            cp = cp * 16 + (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
          }
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "Cannot encode character U+%04x in UTF-8.", cp);
            error(p, l, buf);
            out.append(slice);
            break;
          }
          append_utf8(out, cp);
          break;
        }
        default:
          error(p, l,
                "The symbol " + go_quote_string(slice.substr(1)) +
                    " is not a valid escape sequence selector.");
          out.append(slice.substr(1));
          break;
      }
    }
    p += l;
    lit = p;
  }
  out.append(s.substr(lit));
  return ok;
}

std::string decode_string_lit(const Token& tok, Diagnostics& diags) {
  std::string out;
  decode_string_lit(tok.bytes, tok.range, tok.type == TokenType::QuotedLit, out, diags);
  return out;
}

}  // namespace kiln::hcl
