// The JSON scanner: marks out tokens in one pass. It is lax about the
// content of strings, numbers and keywords (the parser validates them, with
// better messages), and stops at the first byte that cannot start a token.
#include <utf8proc.h>

#include "hcl/json_ast.h"

namespace kiln::hcl::json {

namespace {

// Bytes in the grapheme cluster that starts at s[0] (s non-empty). Bytes
// that are not valid UTF-8 count as a cluster of their own.
size_t grapheme_length(std::string_view s) {
  auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80 && (s.size() == 1 || static_cast<unsigned char>(s[1]) < 0x80)) return 1;
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto n = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_int32_t c1 = 0;
  utf8proc_ssize_t len = utf8proc_iterate(p, n, &c1);
  if (len <= 0) return 1;
  utf8proc_ssize_t pos = len;
  utf8proc_int32_t state = 0;
  while (pos < n) {
    utf8proc_int32_t c2 = 0;
    utf8proc_ssize_t l2 = utf8proc_iterate(p + pos, n - pos, &c2);
    if (l2 <= 0) break;
    if (utf8proc_grapheme_break_stateful(c1, c2, &state)) break;
    pos += l2;
    c1 = c2;
  }
  return static_cast<size_t>(pos);
}

bool is_alpha(unsigned char b) {
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

bool can_start_number(unsigned char b) {
  // 'e' and 'E' are deliberately absent: they start (invalid) keywords.
  return b == '-' || b == '+' || b == '.' || (b >= '0' && b <= '9');
}

bool in_number(unsigned char b) {
  return b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E' || (b >= '0' && b <= '9');
}

}  // namespace

Scanner::Scanner(std::string_view src, std::string_view filename, Pos start)
    : src_(src), pos_(start), filename_(filename) {}

Tok Scanner::next() {
  Tok t;
  if (!stopped_) {
    // Whitespace: a tab counts as two columns, a carriage return as none.
    for (; i_ < src_.size(); ++i_) {
      char c = src_[i_];
      if (c == ' ') {
        ++pos_.byte;
        ++pos_.column;
      } else if (c == '\n') {
        ++pos_.byte;
        ++pos_.line;
        pos_.column = 1;
      } else if (c == '\r') {
        ++pos_.byte;
      } else if (c == '\t') {
        ++pos_.byte;
        pos_.column += 2;
      } else {
        break;
      }
    }
  }
  t.range.filename = filename_;
  t.range.start = pos_;
  if (stopped_ || i_ >= src_.size()) {
    t.type = TokType::Eof;
    t.range.end = pos_;
    return t;
  }
  size_t begin = i_;
  auto first = static_cast<unsigned char>(src_[i_]);
  switch (first) {
    case '{':
      t.type = TokType::BraceO;
      break;
    case '}':
      t.type = TokType::BraceC;
      break;
    case '[':
      t.type = TokType::BrackO;
      break;
    case ']':
      t.type = TokType::BrackC;
      break;
    case ',':
      t.type = TokType::Comma;
      break;
    case ':':
      t.type = TokType::Colon;
      break;
    case '=':
      t.type = TokType::Equals;
      break;
    default:
      t.type = TokType::Nil_;
      break;
  }
  if (t.type != TokType::Nil_) {
    ++i_;
    ++pos_.byte;
    ++pos_.column;
  } else if (first == '"') {
    t.type = TokType::String;
    ++i_;
    ++pos_.byte;
    ++pos_.column;
    bool escaping = false;
    while (i_ < src_.size()) {
      auto b = static_cast<unsigned char>(src_[i_]);
      if (b == '\\') {
        escaping = !escaping;
        ++i_;
        ++pos_.byte;
        ++pos_.column;
      } else if (b == '"') {
        ++i_;
        ++pos_.byte;
        ++pos_.column;
        if (!escaping) break;
        escaping = false;
      } else if (b < 32) {
        break;
      } else {
        // Each grapheme cluster is one column.
        size_t n = grapheme_length(src_.substr(i_));
        i_ += n;
        pos_.byte += n;
        ++pos_.column;
        escaping = false;
      }
    }
  } else if (can_start_number(first)) {
    t.type = TokType::Number;
    while (i_ < src_.size() && in_number(static_cast<unsigned char>(src_[i_]))) ++i_;
    pos_.byte += i_ - begin;
    pos_.column += static_cast<int>(i_ - begin);
  } else if (is_alpha(first)) {
    t.type = TokType::Keyword;
    while (i_ < src_.size()) {
      auto b = static_cast<unsigned char>(src_[i_]);
      if (!is_alpha(b) && b != '_') break;
      ++i_;
    }
    pos_.byte += i_ - begin;
    pos_.column += static_cast<int>(i_ - begin);
  } else {
    // One byte (even of a multi-byte character), then nothing more.
    t.type = TokType::Invalid;
    ++i_;
    ++pos_.byte;
    ++pos_.column;
    stopped_ = true;
  }
  t.bytes = src_.substr(begin, i_ - begin);
  t.range.end = pos_;
  return t;
}

}  // namespace kiln::hcl::json
