// The native-syntax scanner: a hand-written equivalent of hclsyntax's Ragel
// scanner (scan_tokens.rl), with the same token boundaries, types and
// positions in all three modes.
#include <utf8proc.h>

#include <string>

#include "hcl/token.h"

namespace kiln::hcl {

namespace {

// ---------------------------------------------------------------- UTF-8 --

inline bool is_cont(unsigned char c) {
  return c >= 0x80 && c <= 0xBF;
}

// Length of the (loosely checked, as the Ragel grammar's AnyUTF8) UTF-8
// sequence at data[p], or 0 when the byte cannot start one there.
inline size_t any_utf8_len(std::string_view d, size_t p) {
  unsigned char c = static_cast<unsigned char>(d[p]);
  if (c < 0x80) return 1;
  size_t need;
  if (c >= 0xC0 && c <= 0xDF)
    need = 1;
  else if (c >= 0xE0 && c <= 0xEF)
    need = 2;
  else if (c >= 0xF0 && c <= 0xF7)
    need = 3;
  else
    return 0;
  if (p + need >= d.size()) return 0;
  for (size_t i = 1; i <= need; ++i)
    if (!is_cont(static_cast<unsigned char>(d[p + i]))) return 0;
  return need + 1;
}

// Strictly decodes the code point at data[p]; returns its length, or 0 if
// the bytes are not valid UTF-8 (overlong, surrogate, out of range).
inline size_t decode_strict(std::string_view d, size_t p, int32_t& cp) {
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(d.data() + p),
                                        static_cast<utf8proc_ssize_t>(d.size() - p), &cp);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

// Identifier characters beyond ASCII are matched byte-wise against the
// patterns of HCL's Ragel grammar (ID_Start / ID_Continue of Unicode 9.0.0),
// so the scanner accepts exactly what hclsyntax accepts, malformed
// sequences its patterns happen to admit included.
struct BytePattern {
  uint8_t lead;
  uint8_t n;  // bytes after the lead
  uint8_t lo[3];
  uint8_t hi[3];
};

#include "lexer_unicode.inc"

class PatternSet {
 public:
  template <size_t N>
  explicit PatternSet(const BytePattern (&pats)[N]) : pats_(pats) {
    size_t i = 0;
    for (int lead = 0; lead < 256; ++lead) {
      begin_[lead] = static_cast<uint16_t>(i);
      while (i < N && pats[i].lead == lead) ++i;
    }
    begin_[256] = static_cast<uint16_t>(N);
  }

  // The length of the character at d[p] if a pattern matches it, else 0.
  size_t match(std::string_view d, size_t p) const {
    unsigned char lead = static_cast<unsigned char>(d[p]);
    for (size_t i = begin_[lead]; i < begin_[lead + 1]; ++i) {
      const BytePattern& pat = pats_[i];
      if (p + pat.n >= d.size()) return 0;  // all patterns of a lead have one length
      unsigned char b1 = static_cast<unsigned char>(d[p + 1]);
      if (b1 < pat.lo[0]) break;  // sorted by the first range
      bool ok = true;
      for (size_t k = 0; k < pat.n; ++k) {
        unsigned char b = static_cast<unsigned char>(d[p + 1 + k]);
        if (b < pat.lo[k] || b > pat.hi[k]) {
          ok = false;
          break;
        }
      }
      if (ok) return pat.n + 1u;
    }
    return 0;
  }

 private:
  const BytePattern* pats_;
  uint16_t begin_[257];
};

const PatternSet& id_start_set() {
  static const PatternSet set(kIdStartPatterns);
  return set;
}
const PatternSet& id_continue_set() {
  static const PatternSet set(kIdContinuePatterns);
  return set;
}

inline bool ascii_alpha(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
inline bool ascii_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

// Length of the identifier (ID_Start|'_') (ID_Continue|'-')* at data[p], or 0.
size_t ident_len(std::string_view d, size_t p) {
  size_t n = d.size();
  unsigned char c = static_cast<unsigned char>(d[p]);
  size_t q;
  if (ascii_alpha(c) || c == '_') {
    q = p + 1;
  } else if (c >= 0x80) {
    size_t l = id_start_set().match(d, p);
    if (l == 0) return 0;
    q = p + l;
  } else {
    return 0;
  }
  const PatternSet& cont = id_continue_set();
  while (q < n) {
    c = static_cast<unsigned char>(d[q]);
    if (c < 0x80) {
      if (ascii_alpha(c) || ascii_digit(c) || c == '_' || c == '-') {
        ++q;
        continue;
      }
      break;
    }
    size_t l = cont.match(d, q);
    if (l == 0) break;
    q += l;
  }
  return q - p;
}

// Go's bytes.TrimSpace (unicode.IsSpace on both ends).
bool is_space_at_end(std::string_view s, size_t& len, bool front) {
  // Returns true and sets len to the byte length of the space found.
  if (s.empty()) return false;
  auto ascii = [](unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  };
  auto uni = [](int32_t cp) {
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  };
  if (front) {
    unsigned char c = static_cast<unsigned char>(s[0]);
    if (c < 0x80) {
      len = 1;
      return ascii(c);
    }
    int32_t cp;
    size_t l = decode_strict(s, 0, cp);
    if (l == 0 || !uni(cp)) return false;
    len = l;
    return true;
  }
  unsigned char c = static_cast<unsigned char>(s.back());
  if (c < 0x80) {
    len = 1;
    return ascii(c);
  }
  size_t start = s.size() - 1;
  while (start > 0 && s.size() - start < 4 && is_cont(static_cast<unsigned char>(s[start])))
    --start;
  int32_t cp;
  size_t l = decode_strict(s, start, cp);
  if (l == 0 || start + l != s.size() || !uni(cp)) return false;
  len = l;
  return true;
}

std::string_view trim_space(std::string_view s) {
  size_t l;
  while (is_space_at_end(s, l, true)) s.remove_prefix(l);
  while (is_space_at_end(s, l, false)) s.remove_suffix(l);
  return s;
}

// -------------------------------------------------------------- scanner --

enum class Mode : uint8_t { Main, Quoted, Heredoc, Bare, IdentOnly };

struct HeredocInProgress {
  std::string_view marker;
  bool start_of_line;
};

class Scanner {
 public:
  Scanner(std::string_view data, std::string_view filename, Pos start, size_t start_byte)
      : d_(data), filename_(filename), pos_(start), start_byte_(start_byte) {
    out_.reserve(data.size() / 4 + 2);
  }

  std::vector<Token> run(ScanMode mode) {
    switch (mode) {
      case ScanMode::Normal:
        cur_ = Mode::Main;
        break;
      case ScanMode::Template:
        cur_ = Mode::Bare;
        break;
      case ScanMode::IdentOnly:
        cur_ = Mode::IdentOnly;
        break;
    }
    const size_t n = d_.size();
    size_t p = 0;
    while (p < n) {
      size_t next;
      switch (cur_) {
        case Mode::Main:
          next = step_main(p);
          break;
        case Mode::Quoted:
          next = step_quoted(p);
          break;
        case Mode::Heredoc:
          next = step_heredoc(p);
          break;
        case Mode::Bare:
          next = step_bare(p);
          break;
        default:
          next = step_ident_only(p);
          break;
      }
      if (next == kError) {
        // The grammar matched nothing here: as hclsyntax does, the rest of
        // the input becomes one token.
        bool bare_top = cur_ == Mode::Bare && stack_.empty();
        emit(bare_top ? TokenType::StringLit : TokenType::Invalid, p, n);
        break;
      }
      p = next;
    }
    emit(TokenType::EOF_, n, n);
    return std::move(out_);
  }

 private:
  static constexpr size_t kError = static_cast<size_t>(-1);

  unsigned char at(size_t i) const { return static_cast<unsigned char>(d_[i]); }
  bool has(size_t i) const { return i < d_.size(); }

  void call(Mode m) {
    stack_.push_back(cur_);
    cur_ = m;
  }
  void ret() {
    if (stack_.empty()) return;
    cur_ = stack_.back();
    stack_.pop_back();
  }

  // Appends a token for d_[ts, te), computing its range as hclsyntax's
  // tokenAccum does: the gap since the previous token counts one column
  // per byte, the token itself in grapheme clusters.
  void emit(TokenType type, size_t ts, size_t te) {
    Pos start = pos_;
    start.column += static_cast<int>(ts + start_byte_ - pos_.byte);
    start.byte = ts + start_byte_;
    Pos end = start;
    end.byte = te + start_byte_;
    size_t i = ts;
    while (i < te) {
      unsigned char c = at(i);
      if (c < 0x80) {
        if (c == '\n') {
          ++end.line;
          end.column = 1;
          ++i;
          continue;
        }
        if (c == '\r' && i + 1 < te && at(i + 1) == '\n') {
          ++end.line;
          end.column = 1;
          i += 2;
          continue;
        }
        if (i + 1 >= te || at(i + 1) < 0x80 || c == '\r' || c < 0x20 || c == 0x7F) {
          ++end.column;
          ++i;
          continue;
        }
      }
      i = cluster_end(i, te);
      ++end.column;
    }
    pos_ = end;
    out_.push_back(Token{type, d_.substr(ts, te - ts), Range{filename_, start, end}});
  }

  // The end of the grapheme cluster that starts at d_[i] (within [i, te)).
  size_t cluster_end(size_t i, size_t te) const {
    int32_t prev;
    size_t l = decode_strict(d_.substr(0, te), i, prev);
    if (l == 0) {
      // Not valid UTF-8: like textseg, take a loosely formed sequence (an
      // overlong form, a surrogate) as one cluster, else a single byte.
      size_t loose = any_utf8_len(d_.substr(0, te), i);
      return i + (loose ? loose : 1);
    }
    size_t q = i + l;
    utf8proc_int32_t state = 0;
    while (q < te) {
      int32_t cp;
      size_t m = decode_strict(d_.substr(0, te), q, cp);
      if (m == 0) break;
      if (utf8proc_grapheme_break_stateful(prev, cp, &state)) break;
      prev = cp;
      q += m;
    }
    return q;
  }

  void begin_template_seq(TokenType type, size_t p, size_t te) {
    emit(type, p, te);
    ++braces_;
    ret_braces_.push_back(braces_);
    if (!heredocs_.empty()) heredocs_.back().start_of_line = false;
    call(Mode::Main);
  }

  // At "${" or "%{" (c is '$' or '%'): the length of the introducer.
  size_t seq_len(size_t p) const { return has(p + 2) && at(p + 2) == '~' ? 3 : 2; }

  // ---- main ----
  size_t step_main(size_t p) {
    const size_t n = d_.size();
    unsigned char c = at(p);
    auto one = [&](TokenType t) {
      emit(t, p, p + 1);
      return p + 1;
    };
    auto two_or_one = [&](unsigned char second, TokenType t2, TokenType t1) {
      if (has(p + 1) && at(p + 1) == second) {
        emit(t2, p, p + 2);
        return p + 2;
      }
      emit(t1, p, p + 1);
      return p + 1;
    };
    switch (c) {
      case ' ':
      case '\t': {
        size_t q = p + 1;
        while (q < n && (at(q) == ' ' || at(q) == '\t')) ++q;
        return q;
      }
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9': {
        size_t q = p + 1, last = p + 1;
        while (q < n) {
          unsigned char e = at(q);
          if (ascii_digit(e)) {
            last = ++q;
          } else if (e == '.') {
            ++q;
          } else if (e == 'e' || e == 'E') {
            size_t r = q + 1;
            if (r < n && (at(r) == '+' || at(r) == '-')) ++r;
            if (r < n && ascii_digit(at(r))) {
              q = last = r + 1;
            } else {
              break;
            }
          } else {
            break;
          }
        }
        emit(TokenType::NumberLit, p, last);
        return last;
      }
      case '#': {
        size_t nl = d_.find('\n', p + 1);
        size_t te = nl == std::string_view::npos ? n : nl + 1;
        emit(TokenType::Comment, p, te);
        return te;
      }
      case '/': {
        if (has(p + 1) && at(p + 1) == '/') {
          size_t nl = d_.find('\n', p + 2);
          size_t te = nl == std::string_view::npos ? n : nl + 1;
          emit(TokenType::Comment, p, te);
          return te;
        }
        if (has(p + 1) && at(p + 1) == '*') {
          size_t close = d_.find("*/", p + 2);
          if (close != std::string_view::npos) {
            emit(TokenType::Comment, p, close + 2);
            return close + 2;
          }
        }
        return one(TokenType::Slash);
      }
      case '\n':
        return one(TokenType::Newline);
      case '\r':
        if (has(p + 1) && at(p + 1) == '\n') {
          emit(TokenType::Newline, p, p + 2);
          return p + 2;
        }
        return one(TokenType::Invalid);
      case '=':
        if (has(p + 1) && at(p + 1) == '=') {
          emit(TokenType::EqualOp, p, p + 2);
          return p + 2;
        }
        return two_or_one('>', TokenType::FatArrow, TokenType::Equal);
      case '!':
        return two_or_one('=', TokenType::NotEqual, TokenType::Bang);
      case '>':
        return two_or_one('=', TokenType::GreaterThanEq, TokenType::GreaterThan);
      case '&':
        return two_or_one('&', TokenType::And, TokenType::BitwiseAnd);
      case '|':
        return two_or_one('|', TokenType::Or, TokenType::BitwiseOr);
      case ':':
        return two_or_one(':', TokenType::DoubleColon, TokenType::Colon);
      case '<': {
        if (has(p + 1) && at(p + 1) == '<') {
          size_t q = p + 2;
          if (has(q) && at(q) == '-') ++q;
          size_t il = has(q) ? ident_len(d_, q) : 0;
          if (il > 0) {
            size_t e = q + il;
            size_t te = 0;
            if (has(e) && at(e) == '\n')
              te = e + 1;
            else if (has(e + 1) && at(e) == '\r' && at(e + 1) == '\n')
              te = e + 2;
            if (te) {
              emit(TokenType::OHeredoc, p, te);
              heredocs_.push_back(HeredocInProgress{d_.substr(q, il), true});
              call(Mode::Heredoc);
              return te;
            }
          }
        }
        return two_or_one('=', TokenType::LessThanEq, TokenType::LessThan);
      }
      case '.':
        if (has(p + 2) && at(p + 1) == '.' && at(p + 2) == '.') {
          emit(TokenType::Ellipsis, p, p + 3);
          return p + 3;
        }
        return one(TokenType::Dot);
      case '~':
        if (has(p + 1) && at(p + 1) == '}') {
          emit(TokenType::TemplateSeqEnd, p, p + 2);
          if (!ret_braces_.empty() && ret_braces_.back() == braces_) {
            --braces_;
            ret_braces_.pop_back();
            ret();
          } else {
            --braces_;
          }
          return p + 2;
        }
        return one(TokenType::BitwiseNot);
      case '{':
        emit(TokenType::OBrace, p, p + 1);
        ++braces_;
        return p + 1;
      case '}':
        if (!ret_braces_.empty() && ret_braces_.back() == braces_) {
          emit(TokenType::TemplateSeqEnd, p, p + 1);
          --braces_;
          ret_braces_.pop_back();
          ret();
        } else {
          emit(TokenType::CBrace, p, p + 1);
          --braces_;
        }
        return p + 1;
      case '"':
        emit(TokenType::OQuote, p, p + 1);
        call(Mode::Quoted);
        return p + 1;
      case '[':
        return one(TokenType::OBrack);
      case ']':
        return one(TokenType::CBrack);
      case '(':
        return one(TokenType::OParen);
      case ')':
        return one(TokenType::CParen);
      case ',':
        return one(TokenType::Comma);
      case '*':
        return one(TokenType::Star);
      case '%':
        return one(TokenType::Percent);
      case '+':
        return one(TokenType::Plus);
      case '-':
        return one(TokenType::Minus);
      case '?':
        return one(TokenType::Question);
      case '^':
        return one(TokenType::BitwiseXor);
      case ';':
        return one(TokenType::Semicolon);
      case '`':
        return one(TokenType::Backtick);
      case '\'':
        return one(TokenType::Apostrophe);
      default:
        break;
    }
    if (size_t il = ident_len(d_, p)) {
      emit(TokenType::Ident, p, p + il);
      return p + il;
    }
    size_t l = any_utf8_len(d_, p);
    if (l == 0) return one(TokenType::BadUTF8);
    emit(TokenType::Invalid, p, p + l);
    return p + l;
  }

  // ---- inside "..." ----
  size_t step_quoted(size_t p) {
    const size_t n = d_.size();
    unsigned char c = at(p);
    if (c == '$' || c == '%') {
      if (!has(p + 1)) {
        emit(TokenType::Invalid, p, p + 1);
        return p + 1;
      }
      if (at(p + 1) == '{') {
        size_t te = p + seq_len(p);
        begin_template_seq(c == '$' ? TokenType::TemplateInterp : TokenType::TemplateControl, p,
                           te);
        return te;
      }
      if (at(p + 1) == c && has(p + 2) && at(p + 2) == '{') {
        size_t te = p + 1 + seq_len(p + 1);
        emit(TokenType::QuotedLit, p, te);
        return te;
      }
      emit(TokenType::QuotedLit, p, p + 1);
      return p + 1;
    }
    if (c == '"') {
      emit(TokenType::CQuote, p, p + 1);
      ret();
      return p + 1;
    }
    if (c == '\r' || c == '\n') {
      size_t q = p + 1;
      while (q < n && (at(q) == '\r' || at(q) == '\n')) ++q;
      emit(TokenType::QuotedNewline, p, q);
      return q;
    }
    size_t q = p;
    while (q < n) {
      unsigned char e = at(q);
      if (e == '\\') {
        if (q + 1 >= n || at(q + 1) == '\r' || at(q + 1) == '\n') break;
        size_t l = any_utf8_len(d_, q + 1);
        if (l == 0) break;
        q += 1 + l;
        continue;
      }
      if (e == '$' || e == '%' || e == '"' || e == '\r' || e == '\n') break;
      if (e < 0x80) {
        ++q;
        continue;
      }
      size_t l = any_utf8_len(d_, q);
      if (l == 0) break;
      q += l;
    }
    if (q > p) {
      emit(TokenType::QuotedLit, p, q);
      return q;
    }
    // A backslash with nothing it could escape, or a broken byte.
    emit(c == '\\' ? TokenType::Invalid : TokenType::BadUTF8, p, p + 1);
    return p + 1;
  }

  // The end of the run of literal characters (no '$', '%' or newline
  // characters) at p in a heredoc or bare template.
  size_t literal_run(size_t p) const {
    const size_t n = d_.size();
    size_t q = p;
    while (q < n) {
      unsigned char e = at(q);
      if (e == '$' || e == '%' || e == '\r' || e == '\n') break;
      if (e < 0x80) {
        ++q;
        continue;
      }
      size_t l = any_utf8_len(d_, q);
      if (l == 0) break;
      q += l;
    }
    return q;
  }

  // The end of a newline at q, or q if there is none.
  size_t newline_end(size_t q) const {
    if (has(q) && at(q) == '\n') return q + 1;
    if (has(q + 1) && at(q) == '\r' && at(q + 1) == '\n') return q + 2;
    return q;
  }

  // A '$' or '%' in a heredoc or bare template that does not begin a
  // sequence. Sets te to the end of the literal and eol to whether a
  // newline ends it; returns false when the grammar cannot match here.
  bool template_not_seq(size_t p, size_t& te, bool& eol) const {
    unsigned char c = at(p);
    eol = false;
    if (!has(p + 1)) return false;
    if (at(p + 1) == c && has(p + 2) && at(p + 2) == '{') {
      // "$${" / "%%{" escapes, which a newline may follow in the same token.
      size_t e = p + 1 + seq_len(p + 1);
      te = newline_end(e);
      eol = te != e;
      return true;
    }
    // The character after the '$' stays in the token only when a newline
    // character follows it (a quirk of the Ragel grammar's lookahead).
    if (has(p + 2) && (at(p + 2) == '\n' || at(p + 2) == '\r'))
      te = p + 2;
    else
      te = p + 1;
    return true;
  }

  // ---- heredoc ----
  size_t step_heredoc(size_t p) {
    unsigned char c = at(p);
    size_t te;
    bool eol;
    if (c == '$' || c == '%') {
      if (has(p + 1) && at(p + 1) == '{') {
        te = p + seq_len(p);
        begin_template_seq(c == '$' ? TokenType::TemplateInterp : TokenType::TemplateControl, p,
                           te);
        return te;
      }
      if (!template_not_seq(p, te, eol)) return kError;
    } else {
      size_t q = literal_run(p);
      te = newline_end(q);
      eol = te != q;
      if (te == p) {
        if (c == '\r') return kError;
        emit(TokenType::BadUTF8, p, p + 1);
        return p + 1;
      }
    }
    HeredocInProgress& top = heredocs_.back();
    if (!eol) {
      top.start_of_line = false;
      emit(TokenType::StringLit, p, te);
      return te;
    }
    if (top.start_of_line && trim_space(d_.substr(p, te - p)) == top.marker) {
      size_t nls = te - 1;
      if (nls > p && at(nls - 1) == '\r') --nls;
      emit(TokenType::CHeredoc, p, nls);
      emit(TokenType::Newline, nls, te);
      heredocs_.pop_back();
      ret();
      return te;
    }
    top.start_of_line = true;
    emit(TokenType::StringLit, p, te);
    return te;
  }

  // ---- bare template (ScanMode::Template) ----
  size_t step_bare(size_t p) {
    unsigned char c = at(p);
    size_t te;
    if (c == '$' || c == '%') {
      if (has(p + 1) && at(p + 1) == '{') {
        te = p + seq_len(p);
        begin_template_seq(c == '$' ? TokenType::TemplateInterp : TokenType::TemplateControl, p,
                           te);
        return te;
      }
      bool eol;
      if (!template_not_seq(p, te, eol)) return kError;
    } else {
      te = newline_end(literal_run(p));
      if (te == p) {
        if (c == '\r') return kError;
        emit(TokenType::BadUTF8, p, p + 1);
        return p + 1;
      }
    }
    emit(TokenType::StringLit, p, te);
    return te;
  }

  // ---- identifiers only ----
  size_t step_ident_only(size_t p) {
    if (size_t il = ident_len(d_, p)) {
      emit(TokenType::Ident, p, p + il);
      return p + il;
    }
    size_t l = any_utf8_len(d_, p);
    if (l == 0) {
      emit(TokenType::BadUTF8, p, p + 1);
      return p + 1;
    }
    emit(TokenType::Invalid, p, p + l);
    return p + l;
  }

  std::string_view d_;
  std::string_view filename_;
  Pos pos_;
  size_t start_byte_;
  std::vector<Token> out_;
  Mode cur_ = Mode::Main;
  std::vector<Mode> stack_;
  int braces_ = 0;
  std::vector<int> ret_braces_;
  std::vector<HeredocInProgress> heredocs_;
};

}  // namespace

std::vector<Token> scan_tokens(std::string_view src, std::string_view filename, Pos start,
                               ScanMode mode) {
  if (src.size() >= 3 && src.substr(0, 3) == "\xEF\xBB\xBF") {
    src.remove_prefix(3);
    start.byte += 3;
  }
  // Ranges keep a view of the filename: make sure it lives long enough.
  Scanner s(src, intern_filename(filename), start, start.byte);
  return s.run(mode);
}

const char* token_type_name(TokenType t) {
  switch (t) {
    case TokenType::OBrace:
      return "'{'";
    case TokenType::CBrace:
      return "'}'";
    case TokenType::OBrack:
      return "'['";
    case TokenType::CBrack:
      return "']'";
    case TokenType::OParen:
      return "'('";
    case TokenType::CParen:
      return "')'";
    case TokenType::OQuote:
      return "opening quote";
    case TokenType::CQuote:
      return "closing quote";
    case TokenType::OHeredoc:
      return "heredoc introducer";
    case TokenType::CHeredoc:
      return "heredoc end marker";
    case TokenType::Star:
      return "'*'";
    case TokenType::Slash:
      return "'/'";
    case TokenType::Plus:
      return "'+'";
    case TokenType::Minus:
      return "'-'";
    case TokenType::Percent:
      return "'%'";
    case TokenType::Equal:
      return "'='";
    case TokenType::EqualOp:
      return "'=='";
    case TokenType::NotEqual:
      return "'!='";
    case TokenType::LessThan:
      return "'<'";
    case TokenType::LessThanEq:
      return "'<='";
    case TokenType::GreaterThan:
      return "'>'";
    case TokenType::GreaterThanEq:
      return "'>='";
    case TokenType::And:
      return "'&&'";
    case TokenType::Or:
      return "'||'";
    case TokenType::Bang:
      return "'!'";
    case TokenType::Dot:
      return "'.'";
    case TokenType::Comma:
      return "','";
    case TokenType::Ellipsis:
      return "'...'";
    case TokenType::FatArrow:
      return "'=>'";
    case TokenType::Question:
      return "'?'";
    case TokenType::Colon:
      return "':'";
    case TokenType::DoubleColon:
      return "'::'";
    case TokenType::TemplateInterp:
      return "'${'";
    case TokenType::TemplateControl:
      return "'%{'";
    case TokenType::TemplateSeqEnd:
      return "'}'";
    case TokenType::QuotedLit:
      return "quoted string";
    case TokenType::StringLit:
      return "string";
    case TokenType::NumberLit:
      return "number";
    case TokenType::Ident:
      return "identifier";
    case TokenType::Comment:
      return "comment";
    case TokenType::Newline:
      return "newline";
    case TokenType::EOF_:
      return "end of file";
    case TokenType::BitwiseAnd:
      return "'&'";
    case TokenType::BitwiseOr:
      return "'|'";
    case TokenType::BitwiseNot:
      return "'~'";
    case TokenType::BitwiseXor:
      return "'^'";
    case TokenType::StarStar:
      return "'**'";
    case TokenType::Apostrophe:
      return "\"'\"";
    case TokenType::Backtick:
      return "'`'";
    case TokenType::Semicolon:
      return "';'";
    case TokenType::Tabs:
      return "tab";
    case TokenType::Invalid:
      return "invalid character";
    case TokenType::QuotedNewline:
      return "newline in quoted string";
    case TokenType::BadUTF8:
      return "invalid UTF-8";
    case TokenType::Nil:
      return "nothing";
  }
  return "token";
}

void check_invalid_tokens(const std::vector<Token>& tokens, Diagnostics& diags) {
  int told_bitwise = 0, told_exponent = 0, told_backtick = 0, told_apostrophe = 0;
  int told_semicolon = 0, told_tabs = 0, told_bad_utf8 = 0;
  for (const Token& tok : tokens) {
    switch (tok.type) {
      case TokenType::BitwiseAnd:
      case TokenType::BitwiseOr:
      case TokenType::BitwiseXor:
      case TokenType::BitwiseNot:
        if (told_bitwise < 4) {
          const char* suggestion = "";
          if (tok.type == TokenType::BitwiseAnd)
            suggestion = " Did you mean boolean AND (\"&&\")?";
          else if (tok.type == TokenType::BitwiseOr)
            suggestion = " Did you mean boolean OR (\"||\")?";
          else if (tok.type == TokenType::BitwiseNot)
            suggestion = " Did you mean boolean NOT (\"!\")?";
          diags.error("Unsupported operator",
                      std::string("Bitwise operators are not supported.") + suggestion, tok.range);
          ++told_bitwise;
        }
        break;
      case TokenType::StarStar:
        if (told_exponent < 1) {
          diags.error("Unsupported operator",
                      "\"**\" is not a supported operator. Exponentiation is not supported as an "
                      "operator.",
                      tok.range);
          ++told_exponent;
        }
        break;
      case TokenType::Backtick:
        // Only every other one, so a `quoted` word is reported once.
        if (told_backtick % 2 == 0)
          diags.error("Invalid character",
                      "The \"`\" character is not valid. To create a multi-line string, use the "
                      "\"heredoc\" syntax, like \"<<EOT\".",
                      tok.range);
        if (told_backtick <= 2) ++told_backtick;
        break;
      case TokenType::Apostrophe:
        if (told_apostrophe % 2 == 0)
          diags.error("Invalid character",
                      "Single quotes are not valid. Use double quotes (\") to enclose strings.",
                      tok.range);
        if (told_apostrophe <= 2) ++told_apostrophe;
        break;
      case TokenType::Semicolon:
        if (told_semicolon < 1) {
          diags.error("Invalid character",
                      "The \";\" character is not valid. Use newlines to separate arguments and "
                      "blocks, and commas to separate items in collection values.",
                      tok.range);
          ++told_semicolon;
        }
        break;
      case TokenType::Tabs:
        if (told_tabs < 1) {
          diags.error("Invalid character",
                      "Tab characters may not be used. The recommended indentation style is two "
                      "spaces per indent.",
                      tok.range);
          ++told_tabs;
        }
        break;
      case TokenType::BadUTF8:
        if (told_bad_utf8 < 1) {
          diags.error("Invalid character encoding",
                      "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is "
                      "selected in your editor.",
                      tok.range);
          ++told_bad_utf8;
        }
        break;
      case TokenType::QuotedNewline:
        diags.error("Invalid multi-line string",
                    "Quoted strings may not be split over multiple lines. To produce a multi-line "
                    "string, either use the \\n escape to represent a newline character or use "
                    "the \"heredoc\" multi-line template syntax.",
                    tok.range);
        break;
      case TokenType::Invalid:
        if (tok.bytes == "\u201C" || tok.bytes == "\u201D") {
          diags.error("Invalid character",
                      "\"Curly quotes\" are not valid here. These can sometimes be inadvertently "
                      "introduced when sharing code via documents or discussion forums. It might "
                      "help to replace the character with a \"straight quote\".",
                      tok.range);
        } else {
          diags.error("Invalid character", "This character is not used within the language.",
                      tok.range);
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace kiln::hcl
