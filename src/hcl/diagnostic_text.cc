#include "hcl/diagnostic_text.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdio>

namespace kiln::hcl {

namespace {

// Advances over one grapheme cluster at s[i]; returns its end.
size_t next_cluster(std::string_view s, size_t i) {
  const size_t n = s.size();
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80 && (i + 1 >= n || static_cast<unsigned char>(s[i + 1]) < 0x80))
    return (c == '\r' && i + 1 < n && s[i + 1] == '\n') ? i + 2 : i + 1;
  auto* base = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_int32_t prev;
  utf8proc_ssize_t l = utf8proc_iterate(base + i, static_cast<utf8proc_ssize_t>(n - i), &prev);
  if (l <= 0) {
    // Like textseg: a loosely formed sequence (overlong, surrogate) is one
    // cluster, any other bad byte a cluster of its own.
    size_t need = c >= 0xC0 && c <= 0xDF   ? 1
                  : c >= 0xE0 && c <= 0xEF ? 2
                  : c >= 0xF0 && c <= 0xF7 ? 3
                                           : 0;
    if (need == 0 || i + need >= n) return i + 1;
    for (size_t k = 1; k <= need; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i + 1;
    return i + need + 1;
  }
  size_t q = i + static_cast<size_t>(l);
  utf8proc_int32_t state = 0;
  while (q < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t m = utf8proc_iterate(base + q, static_cast<utf8proc_ssize_t>(n - q), &cp);
    if (m <= 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) break;
    prev = cp;
    q += static_cast<size_t>(m);
  }
  return q;
}

bool contains_offset(const Range& r, size_t off) {
  return off >= r.start.byte && off < r.end.byte;
}

// hcl.Range.Overlaps.
bool overlaps(const Range& a, const Range& b) {
  if (a.filename != b.filename) return false;
  if (a.empty() || b.empty()) return false;
  return contains_offset(a, b.start.byte) || contains_offset(a, b.end.byte) ||
         contains_offset(b, a.start.byte) || contains_offset(b, a.end.byte);
}

std::string_view slice_bytes(std::string_view src, size_t start, size_t end) {
  if (start > src.size()) start = src.size();
  if (end > src.size()) end = src.size();
  if (end < start) end = start;
  return src.substr(start, end - start);
}

// unicode.IsSpace
bool go_is_space(int32_t cp) {
  switch (cp) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

}  // namespace

std::string wrap_string(std::string_view s, unsigned limit) {
  std::string buf, word, space;
  buf.reserve(s.size() + 8);
  unsigned current = 0, word_len = 0, space_len = 0;
  const unsigned lim = limit;
  size_t i = 0;
  while (i < s.size()) {
    // Decode a rune as Go's range over a string does: a bad byte is U+FFFD.
    int32_t cp;
    std::string_view ch;
    auto* base = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    utf8proc_ssize_t l =
        utf8proc_iterate(base + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (l <= 0) {
      cp = 0xFFFD;
      ch = "\xEF\xBF\xBD";
      i += 1;
    } else {
      ch = s.substr(i, static_cast<size_t>(l));
      i += static_cast<size_t>(l);
    }
    if (cp == '\n') {
      if (word.empty()) {
        if (current + space_len > lim) {
          current = 0;
        } else {
          current += space_len;
          buf += space;
        }
        space.clear();
        space_len = 0;
      } else {
        current += space_len + word_len;
        buf += space;
        space.clear();
        space_len = 0;
        buf += word;
        word.clear();
        word_len = 0;
      }
      buf += '\n';
      current = 0;
    } else if (go_is_space(cp) && cp != 0xA0) {
      if (space.empty() || !word.empty()) {
        current += space_len + word_len;
        buf += space;
        space.clear();
        space_len = 0;
        buf += word;
        word.clear();
        word_len = 0;
      }
      space += ch;
      ++space_len;
    } else {
      word += ch;
      ++word_len;
      if (current + word_len + space_len > lim && word_len < lim) {
        buf += '\n';
        current = 0;
        space.clear();
        space_len = 0;
      }
    }
  }
  if (word.empty()) {
    if (current + space_len <= lim) buf += space;
  } else {
    buf += space;
    buf += word;
  }
  return buf;
}

std::string render_diagnostic(const Diagnostic& diag,
                              const std::map<std::string, std::string>* files, unsigned width,
                              bool color, std::string_view context,
                              const std::vector<std::string>* expression_values) {
  std::string out;
  const char* color_code = "";
  const char* highlight_code = "";
  const char* reset_code = "";
  if (color) {
    color_code = diag.severity == Severity::Error ? "\x1b[31m" : "\x1b[33m";
    reset_code = "\x1b[0m";
    highlight_code = "\x1b[1;4m";
  }
  out += color_code;
  out += diag.severity == Severity::Error ? "Error" : "Warning";
  out += reset_code;
  out += ": ";
  out += diag.summary;
  out += "\n\n";

  if (diag.subject) {
    const Range& subject = *diag.subject;
    Range snip = subject;
    Range highlight = subject;
    if (diag.context) {
      const Range& c = *diag.context;
      // hcl.RangeOver
      if (snip.empty()) {
        snip = c;
      } else if (!c.empty()) {
        Range r = snip;
        r.start = snip.start.byte < c.start.byte ? snip.start : c.start;
        r.end = snip.end.byte > c.end.byte ? snip.end : c.end;
        snip = r;
      }
    }
    if (snip.empty()) {
      ++snip.end.byte;
      ++snip.end.column;
    }
    if (highlight.empty()) {
      ++highlight.end.byte;
      ++highlight.end.column;
    }
    char num[32];
    const std::string* file = nullptr;
    if (files) {
      auto it = files->find(std::string(subject.filename));
      if (it != files->end()) file = &it->second;
    }
    if (!file) {
      out += "  on ";
      out += subject.filename;
      std::snprintf(num, sizeof num, " line %d:\n", subject.start.line);
      out += num;
      out += "  (source code not available)\n\n";
    } else {
      out += "  on ";
      out += subject.filename;
      std::snprintf(num, sizeof num, " line %d", subject.start.line);
      out += num;
      if (!context.empty()) {
        out += ", in ";
        out += context;
      }
      out += ":\n";

      // Lines as hcl.RangeScanner with bufio.ScanLines gives them: the
      // range of a line excludes its "\n" and a "\r" before it.
      std::string_view src = *file;
      Pos pos;
      while (pos.byte < src.size()) {
        size_t nl = src.find('\n', pos.byte);
        size_t adv_end = nl == std::string_view::npos ? src.size() : nl + 1;
        size_t tok_end = nl == std::string_view::npos ? src.size() : nl;
        if (tok_end > pos.byte && src[tok_end - 1] == '\r') --tok_end;
        Range line;
        line.filename = subject.filename;
        line.start = pos;
        Pos end = pos, cur = pos;
        size_t i = pos.byte;
        while (i < adv_end) {
          size_t j = next_cluster(src.substr(0, adv_end), i);
          cur.byte = j;
          ++cur.column;
          if (src[i] == '\r' || src[i] == '\n') {
            cur.column = 1;
            ++cur.line;
          }
          if (i < tok_end) end = cur;
          i = j;
        }
        line.end = end;
        pos = cur;

        if (!overlaps(line, snip)) continue;
        std::snprintf(num, sizeof num, "%4d: ", line.start.line);
        out += num;
        // hcl.Range.PartitionAround
        if (!overlaps(line, highlight)) {
          out += src.substr(line.start.byte, tok_end - line.start.byte);
        } else {
          size_t ov_start = std::max(line.start.byte, highlight.start.byte);
          size_t ov_end = std::min(line.end.byte, highlight.end.byte);
          if (ov_start == ov_end) {
            out += src.substr(line.start.byte, tok_end - line.start.byte);
          } else {
            out += slice_bytes(src, line.start.byte, ov_start);
            out += highlight_code;
            out += slice_bytes(src, ov_start, ov_end);
            out += reset_code;
            out += slice_bytes(src, ov_end, line.end.byte);
          }
        }
        out += '\n';
      }
      out += '\n';
    }

    if (expression_values && !expression_values->empty()) {
      std::vector<std::string> stmts = *expression_values;
      std::sort(stmts.begin(), stmts.end());
      for (size_t i = 0; i < stmts.size(); ++i) {
        out += i == 0 ? "with " : "     ";
        out += stmts[i];
        out += i + 1 == stmts.size() ? ".\n\n" : ",\n";
      }
    }
  }

  if (!diag.detail.empty()) {
    if (width != 0)
      out += wrap_string(diag.detail, width);
    else
      out += diag.detail;
    out += "\n\n";
  }
  return out;
}

std::string render_diagnostics(const Diagnostics& diags,
                               const std::map<std::string, std::string>* files, unsigned width,
                               bool color) {
  std::string out;
  for (const Diagnostic& d : diags) out += render_diagnostic(d, files, width, color);
  return out;
}

std::string render_packer_diagnostic(const Diagnostic& diag,
                                     const std::map<std::string, std::string>* files,
                                     std::string_view context) {
  return render_diagnostic(diag, files, 80, false, context);
}

}  // namespace kiln::hcl
