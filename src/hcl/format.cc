// The formatter: the whitespace rules of hclwrite.Format, applied to the
// token stream of the native-syntax scanner.
//
// Each line of tokens is split into up to three cells: "lead" (everything up
// to the others), "assign" (from an attribute's `=` to the end of the line,
// when the brackets there balance) and "comment" (a trailing single-line
// comment). Three passes then rewrite only the number of spaces before each
// token: indentation by bracket nesting, spacing between neighbouring tokens,
// and vertical alignment of the assign and comment cells of consecutive
// lines.
#include "hcl/format.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace kiln::hcl {

namespace {

using TT = TokenType;

// A cell is the half-open token index range [begin, end); a cell that is
// absent has begin == end (present cells are never empty).
struct Cell {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool present() const { return begin != end; }
  uint32_t size() const { return end - begin; }
};

struct Line {
  Cell lead;
  Cell assign;
  Cell comment;
};

int bracket_change(TT t) {
  switch (t) {
    case TT::OBrace:
    case TT::OBrack:
    case TT::OParen:
    case TT::TemplateControl:
    case TT::TemplateInterp:
      return 1;
    case TT::CBrace:
    case TT::CBrack:
    case TT::CParen:
    case TT::TemplateSeqEnd:
      return -1;
    default:
      return 0;
  }
}

// Single-line comments (# and //) carry their terminating newline, so they
// end a line just as a newline token does.
bool ends_line(const Token& t) {
  if (t.type == TT::Newline) return true;
  return t.type == TT::Comment && !t.bytes.empty() && t.bytes.back() == '\n';
}

// The number of grapheme clusters in s, as go-textseg counts them: an
// invalid UTF-8 byte counts as one cluster of its own.
int grapheme_count(std::string_view s) {
  const size_t n = s.size();
  size_t crlf = 0;
  bool ascii = true;
  for (size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    if (c == '\r' && i + 1 < n && s[i + 1] == '\n') ++crlf;
  }
  // In ASCII only CR LF forms a cluster of more than one character.
  if (ascii) return static_cast<int>(n - crlf);

  int count = 0;
  utf8proc_int32_t state = 0;
  utf8proc_int32_t prev = -1;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  size_t i = 0;
  while (i < n) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(n - i), &cp);
    if (len <= 0) {
      ++count;
      prev = -1;
      state = 0;
      ++i;
      continue;
    }
    if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) ++count;
    prev = cp;
    i += static_cast<size_t>(len);
  }
  return count;
}

class Formatter {
 public:
  explicit Formatter(std::span<const Token> toks) : toks_(toks), spaces_(toks.size()) {
    size_t last_end = 0;
    for (size_t i = 0; i < toks.size(); ++i) {
      // Only ASCII spaces separate tokens, so the gap in bytes is the number
      // of spaces.
      size_t start = toks[i].range.start.byte;
      spaces_[i] = start > last_end ? static_cast<int>(start - last_end) : 0;
      last_end = toks[i].range.end.byte;
    }
  }

  std::string run() {
    split_lines();
    format_indent();
    format_spaces();
    format_cells();
    return write();
  }

 private:
  TT type(uint32_t i) const { return toks_[i].type; }

  void split_lines() {
    const auto n = static_cast<uint32_t>(toks_.size());
    uint32_t line_start = 0;
    bool saw_eof = false;
    for (uint32_t i = 0; i < n; ++i) {
      if (type(i) == TT::EOF_) {
        // EOF belongs to no line and ends the sequence.
        lines_.push_back(Line{Cell{line_start, i}, {}, {}});
        saw_eof = true;
        break;
      }
      if (ends_line(toks_[i])) {
        lines_.push_back(Line{Cell{line_start, i + 1}, {}, {}});
        line_start = i + 1;
      }
    }
    if (!saw_eof) lines_.push_back(Line{Cell{line_start, n}, {}, {}});

    for (Line& line : lines_) {
      Cell& lead = line.lead;
      if (!lead.present()) continue;
      if (lead.size() > 1 && type(lead.end - 1) == TT::Comment) {
        line.comment = Cell{lead.end - 1, lead.end};
        lead.end -= 1;
      }
      for (uint32_t i = lead.begin + 1; i < lead.end; ++i) {
        if (type(i) != TT::Equal) continue;
        // The `=` starts an assign cell only when the rest of the line is a
        // whole expression; unbalanced brackets mean a multi-line value.
        int net = 0;
        for (uint32_t j = i; j < lead.end; ++j) net += bracket_change(type(j));
        if (net == 0) {
          line.assign = Cell{i, lead.end};
          lead.end = i;
        }
        break;
      }
    }
  }

  void format_indent() {
    // Each entry is the number of brackets a line opened; a closing line
    // pops as many levels as the brackets it closes cover.
    std::vector<int> indents;
    indents.reserve(16);
    for (const Line& line : lines_) {
      const Cell& lead = line.lead;
      if (!lead.present()) continue;
      if (type(lead.begin) == TT::Newline) {
        spaces_[lead.begin] = 0;
        continue;
      }
      int net = 0;
      for (uint32_t i = lead.begin; i < lead.end; ++i) {
        net += bracket_change(type(i));
        if (type(i) == TT::OHeredoc) break;
      }
      for (uint32_t i = line.assign.begin; i < line.assign.end; ++i) net += bracket_change(type(i));

      if (net > 0) {
        spaces_[lead.begin] = 2 * static_cast<int>(indents.size());
        indents.push_back(net);
        continue;
      }
      if (net < 0) {
        int closed = -net;
        while (closed > 0 && !indents.empty()) {
          int& top = indents.back();
          if (closed > top) {
            closed -= top;
            indents.pop_back();
          } else if (closed < top) {
            top -= closed;
            closed = 0;
          } else {
            indents.pop_back();
            closed = 0;
          }
        }
      }
      spaces_[lead.begin] = 2 * static_cast<int>(indents.size());
    }
  }

  static constexpr uint32_t kNone = UINT32_MAX;

  bool space_after(uint32_t subject, uint32_t before, uint32_t after) const {
    const TT s = type(subject);
    const TT b = before == kNone ? TT::Nil : type(before);
    const TT a = type(after);

    if (a == TT::Newline || a == TT::Nil) return false;
    if (s == TT::Ident && a == TT::OParen) return false;
    // Namespaced function names (HCL 2.20+): provider::name::fn()
    if ((s == TT::Ident && a == TT::DoubleColon) || (s == TT::DoubleColon && a == TT::Ident))
      return false;
    if (s == TT::Dot || a == TT::Dot) return false;
    if (a == TT::Comma || a == TT::Ellipsis) return false;
    if (s == TT::Comma) return true;
    if (s == TT::QuotedLit || s == TT::StringLit || s == TT::OQuote || s == TT::OHeredoc ||
        a == TT::QuotedLit || a == TT::StringLit || a == TT::CQuote || a == TT::CHeredoc)
      return false;  // no extra spaces within templates
    // `in` of a for expression followed by a tuple: [for x in [foo]: x]
    if (s == TT::Ident && toks_[subject].bytes == "in" && b == TT::Ident) return true;
    if (a == TT::OBrack && (s == TT::Ident || s == TT::NumberLit || bracket_change(s) < 0))
      return false;
    if (s == TT::Bang) return false;
    if (s == TT::Minus) {
      // Negation takes no space; guess it is one when the token before
      // cannot end an expression.
      switch (b) {
        case TT::Nil:
        case TT::OParen:
        case TT::OBrace:
        case TT::OBrack:
        case TT::Equal:
        case TT::Colon:
        case TT::Comma:
        case TT::Question:
        case TT::Plus:
        case TT::Star:
        case TT::Slash:
        case TT::Percent:
        case TT::Minus:
        case TT::EqualOp:
        case TT::NotEqual:
        case TT::GreaterThan:
        case TT::GreaterThanEq:
        case TT::LessThan:
        case TT::LessThanEq:
        case TT::And:
        case TT::Or:
        case TT::Bang:
          return false;
        default:
          return true;
      }
    }
    if (s == TT::OBrace || a == TT::CBrace) {
      // Braces get inner spaces, except an empty pair: foo {}
      return !(s == TT::OBrace && a == TT::CBrace);
    }
    if ((s == TT::TemplateInterp || s == TT::TemplateControl) && a == TT::OBrace) return true;
    if (s == TT::CBrace && a == TT::TemplateSeqEnd) return true;
    if (s == TT::TemplateSeqEnd && (a == TT::TemplateInterp || a == TT::TemplateControl))
      return false;
    if (bracket_change(s) > 0) return false;
    if (bracket_change(a) < 0) return false;
    return true;
  }

  void space_cell(const Cell& c) {
    for (uint32_t i = c.begin; i + 1 < c.end; ++i) {
      uint32_t before = i > c.begin ? i - 1 : kNone;
      spaces_[i + 1] = space_after(i, before, i + 1) ? 1 : 0;
    }
  }

  void format_spaces() {
    for (const Line& line : lines_) {
      space_cell(line.lead);
      if (line.assign.present()) {
        spaces_[line.assign.begin] = 1;
        space_cell(line.assign);
      }
    }
  }

  int columns(const Cell& c) const {
    int n = 0;
    for (uint32_t i = c.begin; i < c.end; ++i) n += spaces_[i] + grapheme_count(toks_[i].bytes);
    return n;
  }

  // Aligns the first token of the cell chosen by `cell` on runs of
  // consecutive lines that have that cell, one column past the widest
  // prefix that `width` measures.
  template <typename CellOf, typename Width>
  void align(CellOf cell, Width width) {
    size_t chain_start = 0;
    bool in_chain = false;
    std::vector<int> widths;
    auto close = [&](size_t end) {
      int max_cols = 0;
      for (int w : widths) max_cols = std::max(max_cols, w);
      for (size_t i = chain_start; i < end; ++i)
        spaces_[cell(lines_[i]).begin] = max_cols - widths[i - chain_start] + 1;
      widths.clear();
      in_chain = false;
    };
    for (size_t i = 0; i < lines_.size(); ++i) {
      const Line& line = lines_[i];
      if (!cell(line).present()) {
        if (in_chain) close(i);
        continue;
      }
      if (!in_chain) {
        chain_start = i;
        in_chain = true;
      }
      widths.push_back(width(line));
    }
    if (in_chain) close(lines_.size());
  }

  void format_cells() {
    // The assign cells first: moving them moves the comments too.
    align([](const Line& l) -> const Cell& { return l.assign; },
          [this](const Line& l) { return columns(l.lead); });
    align([](const Line& l) -> const Cell& { return l.comment; },
          [this](const Line& l) { return columns(l.lead) + columns(l.assign); });
  }

  std::string write() const {
    size_t total = 0;
    for (size_t i = 0; i < toks_.size(); ++i)
      total += static_cast<size_t>(std::max(spaces_[i], 0)) + toks_[i].bytes.size();
    std::string out;
    out.reserve(total);
    for (size_t i = 0; i < toks_.size(); ++i) {
      if (spaces_[i] > 0) out.append(static_cast<size_t>(spaces_[i]), ' ');
      out.append(toks_[i].bytes);
    }
    return out;
  }

  std::span<const Token> toks_;
  std::vector<int> spaces_;
  std::vector<Line> lines_;
};

}  // namespace

std::string format_tokens(std::span<const Token> tokens) {
  if (tokens.empty()) return {};
  return Formatter(tokens).run();
}

std::string format_hcl(std::string_view src) {
  std::vector<Token> tokens = scan_tokens(src, "", Pos{1, 1, 0}, ScanMode::Normal);
  return format_tokens(tokens);
}

}  // namespace kiln::hcl
