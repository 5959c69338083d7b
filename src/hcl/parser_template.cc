// Templates: quoted strings, heredocs and bare templates. As hclsyntax does,
// the tokens are first raised to "template parts" (literals with strip
// markers applied, interpolations, directive markers), then the directives
// are lowered to ConditionalExpr / ForExpr nodes.
#include <string>
#include <vector>

#include "hcl/parser_impl.h"

namespace kiln::hcl::syntax::detail {
namespace {

using TT = TokenType;

Range between(const Range& a, const Range& b) {
  Range r;
  r.filename = a.filename;
  r.start = a.start;
  r.end = b.end;
  return r;
}

Range empty_at(const Range& r, bool at_end) {
  Range e;
  e.filename = r.filename;
  e.start = e.end = at_end ? r.end : r.start;
  return e;
}

struct Part {
  enum class Kind { Literal, Interp, If, For, Else, EndIf, EndFor, End };
  Kind kind;
  std::string val;               // Literal
  MNodePtr expr;                 // Interp: the expression; If/For: the condition/collection
  std::string key_var, val_var;  // For
  Range range;

  const char* ctrl_name() const {
    switch (kind) {
      case Kind::EndIf:
        return "endif";
      case Kind::Else:
        return "else";
      case Kind::EndFor:
        return "endfor";
      default:
        return "";
    }
  }
  bool is_end_ctrl() const {
    return kind == Kind::Else || kind == Kind::EndIf || kind == Kind::EndFor;
  }
};

// Go's unicode.IsSpace for one code point.
bool is_space_cp(uint32_t c) {
  switch (c) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
      return true;
    default:
      if (c < 0x1680) return false;
      return c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
             c == 0x202f || c == 0x205f || c == 0x3000;
  }
}

// Decodes the code point at s[i]; sets *len.
uint32_t decode_at(const std::string& s, size_t i, size_t* len) {
  unsigned char c = s[i];
  size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (i + n > s.size()) n = 1;
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
  *len = n;
  return cp;
}

// Bytes of leading white space.
size_t leading_space_bytes(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t n;
    if (!is_space_cp(decode_at(s, i, &n))) break;
    i += n;
  }
  return i;
}

void trim_left_space(std::string& s) {
  s.erase(0, leading_space_bytes(s));
}

void trim_right_space(std::string& s) {
  size_t end = s.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    size_t n;
    if (!is_space_cp(decode_at(s, start, &n))) break;
    end = start;
  }
  s.resize(end);
}

// The flush-heredoc rule (<<-): remove the smallest leading-space count
// (in characters) of the non-blank lines from every line.
void apply_flush_heredoc(std::vector<Part>& parts) {
  constexpr size_t kMax = static_cast<size_t>(-1);
  size_t min_spaces = kMax;
  bool newline = true;
  std::vector<Part*> adjust;
  for (auto& p : parts) {
    if (newline) {
      newline = false;
      size_t spaces = 0;
      if (p.kind == Part::Kind::Literal) {
        size_t sb = leading_space_bytes(p.val);
        if (sb == p.val.size() && !p.val.empty() && p.val.back() == '\n') {
          spaces = kMax;  // a blank line does not count
        } else {
          // Count characters (\r\n counts as one).
          for (size_t i = 0; i < sb; ++i) {
            unsigned char c = p.val[i];
            if ((c & 0xC0) == 0x80) continue;
            if (c == '\n' && i > 0 && p.val[i - 1] == '\r') continue;
            ++spaces;
          }
          adjust.push_back(&p);
        }
      } else if (p.kind == Part::Kind::End) {
        break;
      }
      if (spaces < min_spaces) min_spaces = spaces;
    }
    if (p.kind == Part::Kind::Literal && !p.val.empty() && p.val.back() == '\n') newline = true;
  }
  for (Part* p : adjust) {
    size_t i = 0;
    for (size_t k = 0; k < min_spaces && i < p->val.size(); ++k) {
      unsigned char c = p->val[i];
      if (c == '\r' && i + 1 < p->val.size() && p->val[i + 1] == '\n') {
        i += 2;
        continue;
      }
      size_t n;
      decode_at(p->val, i, &n);
      i += n;
    }
    p->val.erase(0, i);
    p->range.start.column += static_cast<int>(min_spaces);
    p->range.start.byte += i;
  }
}

// HCL 2.16+: adjacent literals are merged into one.
void meld_literals(std::vector<Part>& parts) {
  if (parts.empty()) return;
  size_t out = 0;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[out].kind == Part::Kind::Literal && parts[i].kind == Part::Kind::Literal) {
      parts[out].val += parts[i].val;
      parts[out].range.end = parts[i].range.end;
      continue;
    }
    ++out;
    if (out != i) parts[out] = std::move(parts[i]);
  }
  parts.resize(out + 1);
}

MNodePtr literal_string(std::string s, const Range& rng) {
  auto lit = std::make_shared<LiteralValueExpr>();
  lit->val = Value::string(std::move(s));
  lit->src_range = rng;
  return lit;
}

MNodePtr err_placeholder(const Range& rng) {
  auto e = std::make_shared<LiteralValueExpr>();
  e->val = Value::dynamic_unknown();
  e->src_range = rng;
  return e;
}

// The second pass: parts to expressions.
class TemplateParser {
 public:
  explicit TemplateParser(std::vector<Part>& parts) : parts_(parts) {}

  std::vector<NodePtr> parse_root(Diagnostics& diags) {
    std::vector<NodePtr> exprs;
    while (peek().kind != Part::Kind::End) exprs.push_back(parse_expr(diags));
    return exprs;
  }

 private:
  Part& peek() { return parts_[pos_]; }
  Part& read() {
    Part& p = parts_[pos_];
    if (p.kind != Part::Kind::End) ++pos_;
    return p;
  }

  MNodePtr parse_expr(Diagnostics& diags) {
    Part& next = peek();
    switch (next.kind) {
      case Part::Kind::Literal: {
        read();
        return literal_string(std::move(next.val), next.range);
      }
      case Part::Kind::Interp:
        read();
        return std::move(next.expr);
      case Part::Kind::If:
        return parse_if(diags);
      case Part::Kind::For:
        return parse_for(diags);
      case Part::Kind::End:
        read();
        diags.error("Unexpected end of template",
                    "The control directives within this template are unbalanced.", next.range);
        return err_placeholder(next.range);
      default:
        read();
        diags.error(std::string("Unexpected ") + next.ctrl_name() + " directive",
                    "The control directives within this template are unbalanced.", next.range);
        return err_placeholder(next.range);
    }
  }

  static MNodePtr join(std::vector<NodePtr> exprs) {
    auto t = std::make_shared<TemplateExpr>();
    t->src_range = between(exprs.front()->range(), exprs.back()->range());
    t->parts = std::move(exprs);
    return t;
  }

  MNodePtr parse_if(Diagnostics& diags) {
    Part& open = read();
    std::vector<NodePtr> if_exprs, else_exprs;
    std::vector<NodePtr>* current = &if_exprs;
    Range endif_range;
    for (;;) {
      Part& next = peek();
      if (next.kind == Part::Kind::End) {
        diags.error("Unexpected end of template",
                    "The if directive at " + open.range.str() +
                        " is missing its corresponding endif directive.",
                    next.range);
        return err_placeholder(next.range);
      }
      if (next.is_end_ctrl()) {
        read();
        if (next.kind == Part::Kind::Else) {
          if (current == &if_exprs) {
            current = &else_exprs;
            continue;
          }
          diags.error("Unexpected else directive",
                      "Already in the else clause for the if started at " + open.range.str() + ".",
                      next.range);
        } else if (next.kind == Part::Kind::EndIf) {
          endif_range = next.range;
          break;
        } else {
          diags.error(
              std::string("Unexpected ") + next.ctrl_name() + " directive",
              "Expecting an endif directive for the if started at " + open.range.str() + ".",
              next.range);
        }
        return err_placeholder(next.range);
      }
      current->push_back(parse_expr(diags));
    }
    if (if_exprs.empty()) if_exprs.push_back(literal_string("", empty_at(open.range, true)));
    if (else_exprs.empty()) else_exprs.push_back(literal_string("", empty_at(endif_range, false)));
    auto c = std::make_shared<ConditionalExpr>();
    c->src_range = between(open.range, endif_range);
    c->condition = std::move(open.expr);
    c->true_result = join(std::move(if_exprs));
    c->false_result = join(std::move(else_exprs));
    return c;
  }

  MNodePtr parse_for(Diagnostics& diags) {
    Part& open = read();
    std::vector<NodePtr> content;
    Range endfor_range;
    for (;;) {
      Part& next = peek();
      if (next.kind == Part::Kind::End) {
        diags.error("Unexpected end of template",
                    "The for directive at " + open.range.str() +
                        " is missing its corresponding endfor directive.",
                    next.range);
        return err_placeholder(next.range);
      }
      if (next.is_end_ctrl()) {
        read();
        if (next.kind == Part::Kind::Else) {
          diags.error("Unexpected else directive",
                      "An else clause is not expected for a for directive.", next.range);
        } else if (next.kind == Part::Kind::EndFor) {
          endfor_range = next.range;
          break;
        } else {
          diags.error(std::string("Unexpected ") + next.ctrl_name() + " directive",
                      "Expecting an endfor directive corresponding to the for directive at " +
                          open.range.str() + ".",
                      next.range);
        }
        return err_placeholder(next.range);
      }
      content.push_back(parse_expr(diags));
    }
    if (content.empty()) content.push_back(literal_string("", empty_at(open.range, true)));
    auto f = std::make_shared<ForExpr>();
    f->key_var = std::move(open.key_var);
    f->val_var = std::move(open.val_var);
    f->coll_expr = std::move(open.expr);
    f->val_expr = join(std::move(content));
    f->src_range = between(open.range, endfor_range);
    f->open_range = open.range;
    f->close_range = endfor_range;
    auto j = std::make_shared<TemplateJoinExpr>();
    j->src_range = f->src_range;
    j->tuple = std::move(f);
    return j;
  }

  std::vector<Part>& parts_;
  size_t pos_ = 0;
};

}  // namespace

MNodePtr Parser::parse_template(TokenType end, bool flush_heredoc, Diagnostics& diags) {
  bool passthru = false;
  Range rng;
  std::vector<NodePtr> exprs = parse_template_inner(end, flush_heredoc, &passthru, &rng, diags);
  if (passthru) {
    auto w = std::make_shared<TemplateWrapExpr>();
    w->wrapped = std::move(exprs[0]);
    w->src_range = rng;
    return w;
  }
  auto t = std::make_shared<TemplateExpr>();
  t->parts = std::move(exprs);
  t->src_range = rng;
  return t;
}

std::vector<NodePtr> Parser::parse_template_inner(TokenType end, bool flush_heredoc, bool* passthru,
                                                  Range* range, Diagnostics& diags) {
  std::vector<Part> parts;
  Range start_range = next_range();
  Range end_range;
  bool ltrim_next = false;
  bool next_can_trim_prev = false;

  auto trim_prev = [&](const Token& opener, bool can_trim_prev) {
    if (can_trim_prev && opener.bytes.size() == 3 && opener.bytes[2] == '~' && !parts.empty() &&
        parts.back().kind == Part::Kind::Literal)
      trim_right_space(parts.back().val);
  };

  for (;;) {
    Token next = read();
    if (next.type == end) {
      end_range = next.range;
      break;
    }
    bool ltrim = ltrim_next;
    ltrim_next = false;
    bool can_trim_prev = next_can_trim_prev;
    next_can_trim_prev = false;

    if (next.type == TT::StringLit || next.type == TT::QuotedLit) {
      std::string str = parse_string_literal_token(next, diags);
      if (ltrim) trim_left_space(str);
      Part p{Part::Kind::Literal, std::move(str), nullptr, {}, {}, next.range};
      parts.push_back(std::move(p));
      next_can_trim_prev = true;
      continue;
    }

    if (next.type == TT::TemplateInterp) {
      trim_prev(next, can_trim_prev);
      push_newlines(false);
      MNodePtr expr = parse_expression(diags);
      Token close = peek();
      if (close.type != TT::TemplateSeqEnd) {
        if (!recovery) {
          if (close.type == TT::EOF_) {
            diags.error("Unclosed template interpolation sequence",
                        "There is no closing brace for this interpolation sequence before the end "
                        "of the file. This might be caused by incorrect nesting inside the given "
                        "expression.",
                        start_range);
          } else if (close.type == TT::Colon) {
            diags.error("Extra characters after interpolation expression",
                        "Template interpolation doesn't expect a colon at this location. Did you "
                        "intend this to be a literal sequence to be processed as part of another "
                        "language? If so, you can escape it by starting with \"$${\" instead of "
                        "just \"${\".",
                        close.range, between(start_range, close.range));
          } else if ((close.type == TT::CQuote || close.type == TT::OQuote) && end == TT::CQuote) {
            diags.error("Unclosed template interpolation sequence",
                        "There is no closing brace for this interpolation sequence before the end "
                        "of the quoted template. This might be caused by incorrect nesting inside "
                        "the given expression.",
                        start_range);
          } else {
            diags.error("Extra characters after interpolation expression",
                        "Expected a closing brace to end the interpolation expression, but found "
                        "extra characters.\n\nThis can happen when you include interpolation "
                        "syntax for another language, such as shell scripting, but forget to "
                        "escape the interpolation start token. If this is an embedded sequence "
                        "for another language, escape it by starting with \"$${\" instead of just "
                        "\"${\".",
                        close.range, between(start_range, close.range));
          }
        }
        recover(TT::TemplateSeqEnd);
      } else {
        read();
        if (close.bytes.size() == 2 && close.bytes[0] == '~') ltrim_next = true;
      }
      pop_newlines();
      Part p{Part::Kind::Interp, {}, std::move(expr), {}, {}, between(next.range, close.range)};
      parts.push_back(std::move(p));
      continue;
    }

    if (next.type == TT::TemplateControl) {
      trim_prev(next, can_trim_prev);
      push_newlines(false);
      Token kw = peek();
      if (kw.type != TT::Ident) {
        if (!recovery)
          diags.error("Invalid template directive",
                      "A template directive keyword (\"if\", \"for\", etc) is expected at the "
                      "beginning of a %{ sequence.",
                      kw.range, between(next.range, kw.range));
        recover(TT::TemplateSeqEnd);
        pop_newlines();
        continue;
      }
      read();
      bool abandoned = false;
      auto for_fail = [&](const char* detail) {
        if (!recovery) diags.error("Invalid 'for' directive", detail, peek().range);
        recover(TT::TemplateSeqEnd);
        pop_newlines();
        abandoned = true;
      };
      if (kw.bytes == "if") {
        MNodePtr cond = parse_expression(diags);
        Part p{Part::Kind::If, {}, std::move(cond), {}, {}, between(next.range, next_range())};
        parts.push_back(std::move(p));
      } else if (kw.bytes == "else" || kw.bytes == "endif" || kw.bytes == "endfor") {
        Part::Kind k = kw.bytes == "else"    ? Part::Kind::Else
                       : kw.bytes == "endif" ? Part::Kind::EndIf
                                             : Part::Kind::EndFor;
        Part p{k, {}, nullptr, {}, {}, between(next.range, next_range())};
        parts.push_back(std::move(p));
      } else if (kw.bytes == "for") {
        std::string key_name, val_name;
        if (peek().type != TT::Ident) {
          for_fail("For directive requires variable name after 'for'.");
        } else {
          val_name = std::string(read().bytes);
          if (peek().type == TT::Comma) {
            key_name = std::move(val_name);
            read();
            if (peek().type != TT::Ident)
              for_fail("For directive requires value variable name after comma.");
            else
              val_name = std::string(read().bytes);
          }
          if (!abandoned) {
            if (!(peek().type == TT::Ident && peek().bytes == "in")) {
              for_fail("For directive requires 'in' keyword after names.");
            } else {
              read();
              MNodePtr coll = parse_expression(diags);
              Part p{Part::Kind::For,     {},
                     std::move(coll),     std::move(key_name),
                     std::move(val_name), between(next.range, next_range())};
              parts.push_back(std::move(p));
            }
          }
        }
      } else {
        if (!recovery) {
          std::string given(kw.bytes);
          std::string suggestion = name_suggestion(given, {"if", "for", "else", "endif", "endfor"});
          if (!suggestion.empty()) suggestion = " Did you mean \"" + suggestion + "\"?";
          diags.error("Invalid template control keyword",
                      "\"" + given + "\" is not a valid template control keyword." + suggestion,
                      kw.range, between(next.range, kw.range));
        }
        recover(TT::TemplateSeqEnd);
        pop_newlines();
        continue;
      }
      if (abandoned) continue;

      Token close = peek();
      if (close.type != TT::TemplateSeqEnd) {
        if (!recovery)
          diags.error("Extra characters in " + std::string(kw.bytes) + " marker",
                      "Expected a closing brace to end the sequence, but found extra characters.",
                      close.range, between(start_range, close.range));
        recover(TT::TemplateSeqEnd);
      } else {
        read();
        if (close.bytes.size() == 2 && close.bytes[0] == '~') ltrim_next = true;
      }
      pop_newlines();
      continue;
    }

    if (!recovery)
      diags.error("Unterminated template string", "No closing marker was found for the string.",
                  next.range, between(start_range, next.range));
    Token final_tok = recover(end);
    end_range = final_tok.range;
    break;
  }

  if (parts.empty()) {
    // "" is an empty string: a zero-width literal just after the opener.
    Part p{Part::Kind::Literal, {}, nullptr, {}, {}, empty_at(start_range, true)};
    parts.push_back(std::move(p));
  }
  Part endp{Part::Kind::End, {}, nullptr, {}, {}, end_range};
  parts.push_back(std::move(endp));

  if (flush_heredoc) apply_flush_heredoc(parts);
  meld_literals(parts);

  TemplateParser tp(parts);
  *passthru = parts.size() == 2 && parts[0].kind == Part::Kind::Interp;
  *range = between(start_range, end_range);
  return tp.parse_root(diags);
}

}  // namespace kiln::hcl::syntax::detail
