// The native-syntax parser: bodies, expressions and the entry points. It
// follows hclsyntax's recursive-descent parser, including its error
// messages and its recovery heuristics, so that a file with several
// mistakes reports all of them in one pass.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include <pthread.h>

#include "hcl/ast.h"
#include "hcl/parse.h"
#include "hcl/parser_impl.h"
#include "hcl/scan_string_lit.h"
#include "hcl/token.h"

namespace kiln::hcl::syntax {
namespace detail {
namespace {

using TT = TokenType;

// hcl.RangeBetween: the start of a and the end of b (no reordering).
Range between(const Range& a, const Range& b) {
  Range r;
  r.filename = a.filename;
  r.start = a.start;
  r.end = b.end;
  return r;
}

bool is_keyword(const Token& t, std::string_view kw) {
  return t.type == TT::Ident && t.bytes == kw;
}

}  // namespace

std::string go_quote(std::string_view s) {
  return go_quote_string(s);
}

namespace {

MNodePtr placeholder(const Range& rng) {
  auto e = std::make_shared<LiteralValueExpr>();
  e->val = Value::dynamic_unknown();
  e->src_range = rng;
  return e;
}

MNodePtr syntax_error(const Diagnostic& d, const Range& rng) {
  auto e = std::make_shared<ExprSyntaxError>();
  e->parse_diags.push_back(d);
  e->src_range = rng;
  return e;
}

bool errors_since(const Diagnostics& d, size_t mark) {
  for (size_t i = mark; i < d.size(); ++i)
    if (d[i].severity == Severity::Error) return true;
  return false;
}

// Extends a traversal expression in place, or wraps expr in a new
// RelativeTraversalExpr (hclsyntax's makeRelativeTraversal).
MNodePtr make_relative_traversal(MNodePtr expr, TraversalStep step, const Range& rng) {
  if (auto* st = dynamic_cast<ScopeTraversalExpr*>(expr.get())) {
    st->traversal.steps.push_back(std::move(step));
    st->src_range = between(st->src_range, rng);
    return expr;
  }
  if (auto* rt = dynamic_cast<RelativeTraversalExpr*>(expr.get())) {
    rt->traversal.steps.push_back(std::move(step));
    rt->src_range = between(rt->src_range, rng);
    return expr;
  }
  auto rt = std::make_shared<RelativeTraversalExpr>();
  rt->src_range = between(expr->range(), rng);
  rt->source = std::move(expr);
  rt->traversal.steps.push_back(std::move(step));
  return rt;
}

TraversalStep index_step(Value key, const Range& rng) {
  TraversalStep s;
  s.kind = TraversalStep::Kind::Index;
  s.key = std::move(key);
  s.range = rng;
  s.src_range = rng;
  return s;
}

TraversalStep attr_step(std::string name, const Range& rng) {
  TraversalStep s;
  s.kind = TraversalStep::Kind::Attr;
  s.name = std::move(name);
  s.range = rng;
  s.src_range = rng;
  return s;
}

// The literal of a template that is one string literal (TemplateExpr's
// IsStringLiteral), or null.
const LiteralValueExpr* single_literal_template(const Node* n) {
  auto* t = dynamic_cast<const TemplateExpr*>(n);
  if (!t || t->parts.size() != 1) return nullptr;
  return dynamic_cast<const LiteralValueExpr*>(t->parts[0].get());
}

bool binary_op_at(int level, TT t, Op* op) {
  switch (level) {
    case 0:
      if (t == TT::Or) return *op = Op::Or, true;
      return false;
    case 1:
      if (t == TT::And) return *op = Op::And, true;
      return false;
    case 2:
      if (t == TT::EqualOp) return *op = Op::Equal, true;
      if (t == TT::NotEqual) return *op = Op::NotEqual, true;
      return false;
    case 3:
      if (t == TT::GreaterThan) return *op = Op::GreaterThan, true;
      if (t == TT::GreaterThanEq) return *op = Op::GreaterThanOrEqual, true;
      if (t == TT::LessThan) return *op = Op::LessThan, true;
      if (t == TT::LessThanEq) return *op = Op::LessThanOrEqual, true;
      return false;
    case 4:
      if (t == TT::Plus) return *op = Op::Add, true;
      if (t == TT::Minus) return *op = Op::Subtract, true;
      return false;
    case 5:
      if (t == TT::Star) return *op = Op::Multiply, true;
      if (t == TT::Slash) return *op = Op::Divide, true;
      if (t == TT::Percent) return *op = Op::Modulo, true;
      return false;
    default:
      return false;
  }
}
constexpr int kBinaryLevels = 6;

}  // namespace

TokenType opposite_bracket(TokenType t) {
  switch (t) {
    case TT::OBrace:
      return TT::CBrace;
    case TT::OBrack:
      return TT::CBrack;
    case TT::OParen:
      return TT::CParen;
    case TT::OQuote:
      return TT::CQuote;
    case TT::OHeredoc:
      return TT::CHeredoc;
    case TT::CBrace:
      return TT::OBrace;
    case TT::CBrack:
      return TT::OBrack;
    case TT::CParen:
      return TT::OParen;
    case TT::CQuote:
      return TT::OQuote;
    case TT::CHeredoc:
      return TT::OHeredoc;
    case TT::TemplateControl:
      return TT::TemplateSeqEnd;
    case TT::TemplateInterp:
      return TT::TemplateSeqEnd;
    case TT::TemplateSeqEnd:
      return TT::TemplateInterp;
    default:
      return TT::Nil;
  }
}

std::string name_suggestion(std::string_view given, const std::vector<std::string>& suggestions) {
  // Levenshtein distance over runes, as go-textseg-free levenshtein does.
  auto runes = [](std::string_view s) {
    std::vector<uint32_t> r;
    for (size_t i = 0; i < s.size();) {
      unsigned char c = s[i];
      int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
      for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
      r.push_back(cp);
      i += n;
    }
    return r;
  };
  auto a = runes(given);
  for (const auto& sug : suggestions) {
    auto b = runes(sug);
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      }
      std::swap(prev, cur);
    }
    if (prev[b.size()] < 3) return sug;
  }
  return "";
}

std::string parse_string_literal_token(const Token& tok, Diagnostics& diags) {
  return decode_string_lit(tok, diags);
}

// --- stack guard ----------------------------------------------------------------

namespace {

// The lowest address this thread's parser may use, computed once per thread
// (pthread_getattr_np reads /proc/self/maps for the main thread).
const char* thread_stack_floor() {
  thread_local bool known = false;
  thread_local const char* floor = nullptr;
  if (known) return floor;
  known = true;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr) {
      // Keep a margin for the rest of the program (and for evaluating or
      // destroying the tree, which recurse too).
      size_t margin = std::min<size_t>(std::max<size_t>(size / 4, 256 * 1024), size / 2);
      floor = static_cast<const char*>(addr) + margin;
    }
    pthread_attr_destroy(&attr);
  }
  return floor;
}

}  // namespace

Parser::Parser(const std::vector<Token>& tokens)
    : stack_floor_(thread_stack_floor()), toks_(tokens) {}

bool Parser::stack_low() const {
  char probe;
  return stack_floor_ && &probe < stack_floor_;
}

bool Parser::report_if_too_deep(const Range& where, Diagnostics& diags) {
  if (!stack_low()) return false;
  if (!recovery)
    diags.error("Nesting too deep",
                "This configuration is nested too deeply to be parsed. Reduce the nesting of "
                "blocks, brackets or templates.",
                where);
  // Give up on the rest of the input: every caller then unwinds at "EOF".
  recovery = true;
  idx_ = toks_.size();
  return true;
}

// --- peeker -------------------------------------------------------------------

Token Parser::next_token(size_t* next_idx) const {
  const size_t n = toks_.size();
  for (size_t i = idx_; i < n; ++i) {
    const Token& tok = toks_[i];
    if (tok.type == TT::Comment) {
      // Line comments absorb their newline: in newline-sensitive contexts
      // they stand for that newline.
      if (including_newlines() && !tok.bytes.empty() && tok.bytes.back() == '\n') {
        Token fake;
        fake.type = TT::Newline;
        fake.bytes = tok.bytes.substr(tok.bytes.size() - 1);
        fake.range = tok.range;
        *next_idx = i + 1;
        return fake;
      }
      continue;
    }
    if (tok.type == TT::Newline && !including_newlines()) continue;
    *next_idx = i + 1;
    return tok;
  }
  *next_idx = n;
  return toks_.back();
}

// --- recovery -------------------------------------------------------------------

Token Parser::recover(TokenType end) {
  TokenType start = opposite_bracket(end);
  recovery = true;
  int nest = 0;
  for (;;) {
    Token tok = read();
    TokenType ty = tok.type;
    if (end == TT::TemplateSeqEnd && ty == TT::TemplateControl) ty = TT::TemplateInterp;
    if (ty == start) {
      ++nest;
    } else if (ty == end) {
      if (nest < 1) return tok;
      --nest;
    } else if (ty == TT::EOF_) {
      return tok;
    }
  }
}

void Parser::recover_over(TokenType start) {
  TokenType end = opposite_bracket(start);
  for (;;) {
    Token tok = read();
    if (tok.type == start || tok.type == TT::EOF_) break;
  }
  recover(end);
}

void Parser::recover_after_body_item() {
  recovery = true;
  std::vector<TokenType> open;
  for (;;) {
    Token tok = read();
    switch (tok.type) {
      case TT::Newline:
        if (open.empty()) return;
        break;
      case TT::EOF_:
        return;
      case TT::OBrace:
      case TT::OBrack:
      case TT::OParen:
      case TT::OQuote:
      case TT::OHeredoc:
      case TT::TemplateInterp:
      case TT::TemplateControl:
        open.push_back(tok.type);
        break;
      case TT::CBrace:
      case TT::CBrack:
      case TT::CParen:
      case TT::CQuote:
      case TT::CHeredoc: {
        TokenType opener = opposite_bracket(tok.type);
        while (!open.empty() && open.back() != opener) open.pop_back();
        if (!open.empty()) open.pop_back();
        break;
      }
      case TT::TemplateSeqEnd:
        while (!open.empty() && open.back() != TT::TemplateInterp &&
               open.back() != TT::TemplateControl)
          open.pop_back();
        if (!open.empty()) open.pop_back();
        break;
      default:
        break;
    }
  }
}

// --- bodies -------------------------------------------------------------------

std::shared_ptr<NativeBody> Parser::parse_body(TokenType end, Diagnostics& diags) {
  auto body = std::make_shared<NativeBody>();
  Range start_range = prev_range();
  Range end_range;
  for (;;) {
    Token next = peek();
    if (next.type == end) {
      end_range = next.range;
      read();
      break;
    }
    if (next.type == TT::Newline) {
      read();
      continue;
    }
    if (next.type == TT::Ident) {
      NativeAttribute attr;
      NativeBlock block;
      ItemKind kind = parse_body_item(&attr, &block, diags);
      if (kind == ItemKind::Block) {
        body->blocks.push_back(std::move(block));
      } else if (kind == ItemKind::Attribute) {
        auto it = body->attributes.find(attr.name);
        if (it != body->attributes.end()) {
          diags.error("Attribute redefined",
                      "The argument " + go_quote(attr.name) + " was already set at " +
                          it->second.name_range.str() + ". Each argument may be set only once.",
                      attr.name_range);
        } else {
          std::string name = attr.name;
          body->attributes.emplace(std::move(name), std::move(attr));
        }
      }
      continue;
    }
    Token bad = read();
    if (!recovery) {
      if (bad.type == TT::OQuote) {
        diags.error("Invalid argument name", "Argument names must not be quoted.", bad.range);
      } else if (bad.type == TT::EOF_) {
        if (end == TT::CBrace)
          diags.error("Unclosed configuration block",
                      "There is no closing brace for this block before the end of the file. "
                      "This may be caused by incorrect brace nesting elsewhere in this file.",
                      start_range);
        else
          diags.error("Unclosed configuration body",
                      "Found end of file before the end of this configuration body.", start_range);
      } else {
        diags.error("Argument or block definition required",
                    "An argument or block definition is required here.", bad.range);
      }
    }
    end_range = prev_range();
    recover(end);
    break;
  }
  body->src_range = between(start_range, end_range);
  body->end_range.filename = end_range.filename;
  body->end_range.start = end_range.end;
  body->end_range.end = end_range.end;
  return body;
}

Parser::ItemKind Parser::parse_body_item(NativeAttribute* attr, NativeBlock* block,
                                         Diagnostics& diags) {
  Token ident = read();
  if (ident.type != TT::Ident) {
    recover_after_body_item();
    diags.error("Argument or block definition required",
                "An argument or block definition is required here.", ident.range);
    return ItemKind::None;
  }
  Token next = peek();
  if (report_if_too_deep(ident.range, diags)) {
    recover_after_body_item();
    return ItemKind::None;
  }
  switch (next.type) {
    case TT::Equal:
      finish_body_attribute(ident, false, attr, diags);
      return ItemKind::Attribute;
    case TT::OQuote:
    case TT::OBrace:
    case TT::Ident:
      finish_body_block(ident, block, diags);
      return ItemKind::Block;
    default:
      recover_after_body_item();
      diags.error("Argument or block definition required",
                  "An argument or block definition is required here. To set an argument, use the "
                  "equals sign \"=\" to introduce the argument value.",
                  ident.range);
      return ItemKind::None;
  }
}

std::shared_ptr<NativeBody> Parser::parse_single_attr_body(Diagnostics& diags) {
  Token ident = read();
  if (ident.type != TT::Ident) {
    recover_after_body_item();
    diags.error("Argument or block definition required",
                "An argument or block definition is required here.", ident.range);
    return nullptr;
  }
  Token next = peek();
  switch (next.type) {
    case TT::Equal: {
      NativeAttribute attr;
      finish_body_attribute(ident, true, &attr, diags);
      auto body = std::make_shared<NativeBody>();
      body->src_range = attr.src_range;
      body->end_range.filename = attr.src_range.filename;
      body->end_range.start = attr.src_range.end;
      body->end_range.end = attr.src_range.end;
      std::string name = attr.name;
      body->attributes.emplace(std::move(name), std::move(attr));
      return body;
    }
    case TT::OQuote:
    case TT::OBrace:
    case TT::Ident:
      recover_after_body_item();
      diags.error("Argument definition required",
                  "A single-line block definition can contain only a single argument. If you "
                  "meant to define argument " +
                      go_quote(ident.bytes) +
                      ", use an equals sign to assign it a value. To define a nested block, place "
                      "it on a line of its own within its parent block.",
                  between(ident.range, next.range));
      return nullptr;
    default:
      recover_after_body_item();
      diags.error("Argument or block definition required",
                  "An argument or block definition is required here. To set an argument, use the "
                  "equals sign \"=\" to introduce the argument value.",
                  ident.range);
      return nullptr;
  }
}

void Parser::finish_body_attribute(const Token& ident, bool single_line, NativeAttribute* attr,
                                   Diagnostics& diags) {
  Token eq = read();  // the equals sign
  Range end_range;
  size_t mark = diags.size();
  MNodePtr expr = parse_expression(diags);
  if (recovery && errors_since(diags, mark)) {
    end_range = prev_range();
    recover_after_body_item();
  } else {
    end_range = prev_range();
    if (!single_line) {
      Token end = peek();
      if (end.type != TT::Newline && end.type != TT::EOF_) {
        if (!recovery) {
          std::string summary = "Missing newline after argument";
          std::string detail = "An argument definition must end with a newline.";
          if (end.type == TT::Comma) {
            summary = "Unexpected comma after argument";
            detail = "Argument definitions must be separated by newlines, not commas. " + detail;
          }
          diags.error(std::move(summary), std::move(detail), end.range,
                      between(ident.range, end.range));
        }
        end_range = prev_range();
        recover_after_body_item();
      } else {
        end_range = prev_range();
        read();  // the newline
      }
    }
  }
  attr->name = std::string(ident.bytes);
  attr->expr = std::move(expr);
  attr->src_range = between(ident.range, end_range);
  attr->name_range = ident.range;
  attr->equals_range = eq.range;
}

void Parser::finish_body_block(const Token& ident, NativeBlock* block, Diagnostics& diags) {
  block->type = std::string(ident.bytes);
  block->type_range = ident.range;
  Token obrace;
  for (bool done = false; !done;) {
    Token tok = peek();
    switch (tok.type) {
      case TT::OBrace:
        obrace = read();
        done = true;
        break;
      case TT::OQuote: {
        Range rng;
        std::string label = parse_quoted_string_literal(&rng, diags);
        block->labels.push_back(std::move(label));
        block->label_ranges.push_back(rng);
        break;
      }
      case TT::Ident:
        read();
        block->labels.emplace_back(tok.bytes);
        block->label_ranges.push_back(tok.range);
        break;
      default: {
        if (tok.type == TT::Equal) {
          diags.error("Invalid block definition",
                      "The equals sign \"=\" indicates an argument definition, and must not be "
                      "used when defining a block.",
                      tok.range, between(ident.range, tok.range));
        } else if (tok.type == TT::Newline) {
          diags.error("Invalid block definition",
                      "A block definition must have block content delimited by \"{\" and \"}\", "
                      "starting on the same line as the block header.",
                      tok.range, between(ident.range, tok.range));
        } else if (!recovery) {
          diags.error("Invalid block definition",
                      "Either a quoted string block label or an opening brace (\"{\") is "
                      "expected here.",
                      tok.range, between(ident.range, tok.range));
        }
        recover_after_body_item();
        auto body = std::make_shared<NativeBody>();
        body->src_range = ident.range;
        body->end_range = ident.range;
        block->body = std::move(body);
        block->open_brace_range = ident.range;
        block->close_brace_range = ident.range;
        return;
      }
    }
  }

  std::shared_ptr<NativeBody> body;
  Diagnostics body_diags;
  TT first = peek().type;
  if (first == TT::Newline || first == TT::EOF_ || first == TT::CBrace) {
    body = parse_body(TT::CBrace, body_diags);
  } else {
    body = parse_single_attr_body(body_diags);
    Token next = peek();
    switch (next.type) {
      case TT::CBrace:
        read();
        break;
      case TT::Comma:
        diags.error("Invalid single-argument block definition",
                    "Single-line block syntax can include only one argument definition. To define "
                    "multiple arguments, use the multi-line block syntax with one argument "
                    "definition per line.",
                    next.range);
        recover(TT::CBrace);
        break;
      case TT::Newline:
        diags.error("Invalid single-argument block definition",
                    "An argument definition on the same line as its containing block creates a "
                    "single-line block definition, which must also be closed on the same line. "
                    "Place the block's closing brace immediately after the argument definition.",
                    next.range);
        recover(TT::CBrace);
        break;
      default:
        if (!recovery) {
          if (next.type == TT::EOF_)
            diags.error("Unclosed configuration block",
                        "There is no closing brace for this block before the end of the file. "
                        "This may be caused by incorrect brace nesting elsewhere in this file.",
                        obrace.range, between(ident.range, obrace.range));
          else
            diags.error("Invalid single-argument block definition",
                        "A single-line block definition must end with a closing brace "
                        "immediately after its single argument definition.",
                        next.range);
        }
        recover(TT::CBrace);
    }
  }
  diags.append(body_diags);
  Range cbrace_range = prev_range();

  Token eol = peek();
  if (eol.type == TT::Newline || eol.type == TT::EOF_) {
    read();
  } else {
    if (!recovery)
      diags.error("Missing newline after block definition",
                  "A block definition must end with a newline.", eol.range,
                  between(ident.range, eol.range));
    recover_after_body_item();
  }

  if (!body) {
    body = std::make_shared<NativeBody>();
    body->src_range = between(obrace.range, cbrace_range);
    body->end_range = cbrace_range;
  }
  block->body = std::move(body);
  block->open_brace_range = obrace.range;
  block->close_brace_range = cbrace_range;
}

// --- expressions ----------------------------------------------------------------

MNodePtr Parser::parse_expression(Diagnostics& diags) {
  return parse_ternary(diags);
}

MNodePtr Parser::parse_ternary(Diagnostics& diags) {
  Range start_range = next_range();
  size_t mark = diags.size();
  MNodePtr cond = parse_binary_ops(0, diags);
  if (recovery && errors_since(diags, mark)) return cond;

  Token question = peek();
  if (question.type != TT::Question) return cond;
  read();

  mark = diags.size();
  MNodePtr true_expr = parse_expression(diags);
  if (recovery && errors_since(diags, mark)) return cond;

  Token colon = peek();
  if (colon.type != TT::Colon) {
    diags.error("Missing false expression in conditional",
                "The conditional operator (...?...:...) requires a false expression, delimited by "
                "a colon.",
                colon.range, between(start_range, colon.range));
    return cond;
  }
  read();

  mark = diags.size();
  MNodePtr false_expr = parse_expression(diags);
  if (recovery && errors_since(diags, mark)) return cond;

  auto ret = std::make_shared<ConditionalExpr>();
  ret->src_range = between(start_range, false_expr->range());
  ret->condition = std::move(cond);
  ret->true_result = std::move(true_expr);
  ret->false_result = std::move(false_expr);
  return ret;
}

MNodePtr Parser::parse_binary_ops(int level, Diagnostics& diags) {
  if (level >= kBinaryLevels) return parse_with_traversals(diags);

  size_t mark = diags.size();
  MNodePtr lhs = parse_binary_ops(level + 1, diags);
  if (recovery && errors_since(diags, mark)) return lhs;

  bool have_op = false;
  Op operation{};
  MNodePtr rhs;
  for (;;) {
    Op new_op;
    if (!binary_op_at(level, peek().type, &new_op)) break;
    if (have_op) {
      auto b = std::make_shared<BinaryOpExpr>();
      b->src_range = between(lhs->range(), rhs->range());
      b->lhs = std::move(lhs);
      b->op = operation;
      b->rhs = std::move(rhs);
      lhs = std::move(b);
    }
    operation = new_op;
    have_op = true;
    read();  // the operator
    mark = diags.size();
    rhs = parse_binary_ops(level + 1, diags);
    if (recovery && errors_since(diags, mark)) return lhs;
  }
  if (!have_op) return lhs;
  auto b = std::make_shared<BinaryOpExpr>();
  b->src_range = between(lhs->range(), rhs->range());
  b->lhs = std::move(lhs);
  b->op = operation;
  b->rhs = std::move(rhs);
  return b;
}

MNodePtr Parser::parse_with_traversals(Diagnostics& diags) {
  MNodePtr term = parse_term(diags);
  return parse_traversals(std::move(term), diags);
}

MNodePtr Parser::parse_traversals(MNodePtr from, Diagnostics& diags) {
  MNodePtr ret = from;
  const size_t first_diag = diags.size();
  for (;;) {
    Token next = peek();
    if (next.type == TT::Dot) {
      Token dot = read();
      Token attr_tok = peek();
      if (attr_tok.type == TT::Ident) {
        attr_tok = read();
        Range rng = between(dot.range, attr_tok.range);
        ret = make_relative_traversal(std::move(ret), attr_step(std::string(attr_tok.bytes), rng),
                                      rng);
      } else if (attr_tok.type == TT::NumberLit) {
        // The legacy index form from HIL: foo.0 means foo[0].
        Token num = read();
        Range rng = between(dot.range, num.range);
        auto dot_idx = num.bytes.find('.');
        if (dot_idx != std::string_view::npos) {
          diags.error("Invalid legacy index syntax",
                      "When using the legacy index syntax, chaining two indexes together is not "
                      "permitted. Use the proper index syntax instead, like [" +
                          std::string(num.bytes.substr(0, dot_idx)) + "][" +
                          std::string(num.bytes.substr(dot_idx + 1)) + "].",
                      num.range);
          ret = make_relative_traversal(std::move(ret), index_step(Value::dynamic_unknown(), rng),
                                        rng);
          continue;
        }
        Value v = number_lit_value(num, diags);
        ret = make_relative_traversal(std::move(ret), index_step(std::move(v), rng), rng);
      } else if (attr_tok.type == TT::Star) {
        // The attribute-only splat: foo.*.bar
        Token marker = read();
        Traversal trav;
        Range first_range = next_range();
        Range last_range = marker.range;
        bool bail = false;
        while (peek().type == TT::Dot) {
          Token dot2 = read();
          if (peek().type == TT::NumberLit) {
            Token num = read();
            auto dot_idx = num.bytes.find('.');
            if (dot_idx != std::string_view::npos) {
              diags.error("Invalid legacy index syntax",
                          "When using the legacy index syntax, chaining two indexes together is "
                          "not permitted. Use the proper index syntax with a full splat "
                          "expression [*] instead, like [" +
                              std::string(num.bytes.substr(0, dot_idx)) + "][" +
                              std::string(num.bytes.substr(dot_idx + 1)) + "].",
                          attr_tok.range);
              trav.steps.push_back(
                  index_step(Value::dynamic_unknown(), between(dot2.range, num.range)));
              last_range = num.range;
              continue;
            }
            Value v = number_lit_value(num, diags);
            trav.steps.push_back(index_step(std::move(v), between(dot2.range, num.range)));
            last_range = num.range;
            continue;
          }
          if (peek().type != TT::Ident) {
            if (!recovery) {
              if (peek().type == TT::Star)
                diags.error("Nested splat expression not allowed",
                            "A splat expression (*) cannot be used inside another attribute-only "
                            "splat expression.",
                            peek().range);
              else
                diags.error("Invalid attribute name", "An attribute name is required after a dot.",
                            attr_tok.range);
            }
            recovery = true;
            bail = true;
            break;
          }
          Token name = read();
          trav.steps.push_back(attr_step(std::string(name.bytes), between(dot2.range, name.range)));
          last_range = name.range;
        }
        if (bail) continue;  // as hclsyntax: the splat is abandoned

        auto item = std::make_shared<AnonSymbolExpr>();
        item->src_range = between(dot.range, marker.range);
        MNodePtr each;
        if (trav.steps.empty()) {
          each = item;
        } else {
          auto rt = std::make_shared<RelativeTraversalExpr>();
          rt->source = item;
          rt->traversal = std::move(trav);
          rt->src_range = between(first_range, last_range);
          each = std::move(rt);
        }
        auto splat = std::make_shared<SplatExpr>();
        splat->src_range = between(from->range(), last_range);
        splat->marker_range = between(dot.range, marker.range);
        splat->source = std::move(ret);
        splat->each = std::move(each);
        splat->item = std::move(item);
        ret = std::move(splat);
      } else {
        diags.error("Invalid attribute name", "An attribute name is required after a dot.",
                    attr_tok.range);
        auto err = std::make_shared<ExprSyntaxError>();
        err->parse_diags.assign(diags.begin() + static_cast<std::ptrdiff_t>(first_diag),
                                diags.end());
        err->src_range = between(from->range(), dot.range);
        ret = std::move(err);
        recovery = true;
      }
      continue;
    }
    if (next.type == TT::OBrack) {
      Token open = read();
      if (peek().type == TT::Star) {
        // The full splat: foo[*].bar...
        read();
        Token close = read();
        if (close.type != TT::CBrack && !recovery) {
          // hclsyntax's subject points at `close`, which recovery then
          // overwrites: the subject ends up being the recovered token.
          close = recover(TT::CBrack);
          diags.error("Missing close bracket on splat index",
                      "The star for a full splat operator must be immediately followed by a "
                      "closing bracket (\"]\").",
                      close.range);
        }
        auto item = std::make_shared<AnonSymbolExpr>();
        item->src_range = between(open.range, close.range);
        MNodePtr each =
            report_if_too_deep(open.range, diags) ? MNodePtr(item) : parse_traversals(item, diags);
        auto splat = std::make_shared<SplatExpr>();
        splat->src_range = between(from->range(), each->range());
        splat->marker_range = between(open.range, close.range);
        splat->source = std::move(ret);
        splat->each = std::move(each);
        splat->item = std::move(item);
        ret = std::move(splat);
        continue;
      }
      Token close;
      push_newlines(false);  // newlines are allowed inside the brackets
      size_t mark = diags.size();
      MNodePtr key = parse_expression(diags);
      if (recovery && errors_since(diags, mark)) {
        close = recover(TT::CBrack);
      } else {
        close = read();
        if (close.type != TT::CBrack && !recovery) {
          close = recover(TT::CBrack);  // the subject is the recovered token, as in hclsyntax
          diags.error("Missing close bracket on index",
                      "The index operator must end with a closing bracket (\"]\").", close.range);
        }
      }
      pop_newlines();
      Range rng = between(open.range, close.range);
      if (auto* lit = dynamic_cast<LiteralValueExpr*>(key.get())) {
        ret = make_relative_traversal(std::move(ret), index_step(lit->val, rng), rng);
      } else if (const auto* s = single_literal_template(key.get())) {
        ret = make_relative_traversal(std::move(ret), index_step(s->val, rng), rng);
      } else {
        auto ix = std::make_shared<IndexExpr>();
        ix->src_range = between(from->range(), rng);
        ix->open_range = open.range;
        ix->bracket_range = rng;
        ix->collection = std::move(ret);
        ix->key = std::move(key);
        ret = std::move(ix);
      }
      continue;
    }
    break;
  }
  return ret;
}

Value Parser::number_lit_value(const Token& tok, Diagnostics& diags) {
  auto n = Number::parse(tok.bytes);
  if (!n) {
    diags.error("Invalid number literal", "Failed to recognize the value of this number literal.",
                tok.range);
    return Value::unknown(Type::number());
  }
  return Value::number(std::move(*n));
}

MNodePtr Parser::parse_term(Diagnostics& diags) {
  Token start = peek();
  if (report_if_too_deep(start.range, diags)) return placeholder(start.range);
  switch (start.type) {
    case TT::OParen: {
      Token oparen = read();
      push_newlines(false);
      size_t mark = diags.size();
      MNodePtr expr = parse_expression(diags);
      if (errors_since(diags, mark)) {
        // Try to land after the closing parenthesis.
        recover(TT::CParen);
        pop_newlines();
        return expr;
      }
      Token close = peek();
      if (close.type != TT::CParen) {
        diags.error("Unbalanced parentheses",
                    "Expected a closing parenthesis to terminate the expression.", close.range,
                    between(start.range, close.range));
        recovery = true;
      }
      Token cparen = read();
      pop_newlines();
      auto p = std::make_shared<ParenthesesExpr>();
      p->src_range = between(oparen.range, cparen.range);
      p->expr = std::move(expr);
      return p;
    }
    case TT::NumberLit: {
      Token tok = read();
      auto lit = std::make_shared<LiteralValueExpr>();
      lit->val = number_lit_value(tok, diags);
      lit->src_range = tok.range;
      return lit;
    }
    case TT::Ident: {
      Token tok = read();
      TT after = peek().type;
      if (after == TT::OParen || after == TT::DoubleColon) return finish_function_call(tok, diags);
      if (tok.bytes == "true" || tok.bytes == "false" || tok.bytes == "null") {
        auto lit = std::make_shared<LiteralValueExpr>();
        lit->val = tok.bytes == "null" ? Value::null(Type::dynamic())
                                       : Value::boolean(tok.bytes == "true");
        lit->src_range = tok.range;
        return lit;
      }
      auto st = std::make_shared<ScopeTraversalExpr>();
      TraversalStep root;
      root.kind = TraversalStep::Kind::Root;
      root.name = std::string(tok.bytes);
      root.range = tok.range;
      root.src_range = tok.range;
      st->traversal.steps.push_back(std::move(root));
      st->src_range = tok.range;
      return st;
    }
    case TT::OQuote:
    case TT::OHeredoc: {
      Token open = read();
      TT closer = opposite_bracket(open.type);
      bool flush = open.type == TT::OHeredoc && open.bytes.size() > 2 && open.bytes[2] == '-';
      bool passthru = false;
      Range ignored;
      std::vector<NodePtr> parts = parse_template_inner(closer, flush, &passthru, &ignored, diags);
      Range close_range = prev_range();
      if (passthru) {
        auto w = std::make_shared<TemplateWrapExpr>();
        w->wrapped = std::move(parts[0]);
        w->src_range = between(open.range, close_range);
        return w;
      }
      auto t = std::make_shared<TemplateExpr>();
      t->parts = std::move(parts);
      t->src_range = between(open.range, close_range);
      return t;
    }
    case TT::Minus:
    case TT::Bang: {
      Token tok = read();
      // Only the term and its traversals: -46+5 is (-46)+5.
      MNodePtr operand = parse_with_traversals(diags);
      auto u = std::make_shared<UnaryOpExpr>();
      u->op = start.type == TT::Minus ? Op::Negate : Op::Not;
      u->src_range = between(tok.range, operand->range());
      u->symbol_range = tok.range;
      u->operand = std::move(operand);
      return u;
    }
    case TT::OBrack:
      return parse_tuple_cons(diags);
    case TT::OBrace:
      return parse_object_cons(diags);
    default:
      if (!recovery) {
        if (start.type == TT::EOF_)
          diags.error("Missing expression",
                      "Expected the start of an expression, but found the end of the file.",
                      start.range);
        else
          diags.error("Invalid expression",
                      "Expected the start of an expression, but found an invalid expression token.",
                      start.range);
      }
      recovery = true;
      return placeholder(start.range);
  }
}

MNodePtr Parser::finish_function_call(const Token& name, Diagnostics& diags) {
  Token open_tok = read();
  std::string name_str(name.bytes);
  Pos name_end = name.range.end;
  // Namespaced names: ns::fn(...)
  while (open_tok.type == TT::DoubleColon) {
    Token next_name = read();
    if (next_name.type != TT::Ident) {
      diags.error("Missing function name",
                  "Function scope resolution symbol :: must be followed by a function name in "
                  "this scope.",
                  next_name.range, between(name.range, next_name.range));
      recover_over(TT::OParen);
      return syntax_error(diags.back(), between(name.range, next_name.range));
    }
    name_str += "::";
    name_str += next_name.bytes;
    name_end = next_name.range.end;
    open_tok = read();
  }
  Range name_range = name.range;
  name_range.end = name_end;
  if (open_tok.type != TT::OParen) {
    diags.error("Missing open parenthesis",
                "Function selector must be followed by an open parenthesis to begin the function "
                "call.",
                open_tok.range, between(name.range, open_tok.range));
    recover_over(TT::OParen);
    return syntax_error(diags.back(), between(name.range, open_tok.range));
  }

  auto call = std::make_shared<FunctionCallExpr>();
  Token close_tok;  // stays a zero token (position 0:0) if never found, as in hclsyntax
  close_tok.range.start = close_tok.range.end = Pos{0, 0, 0};
  push_newlines(false);
  for (;;) {
    Token tok = peek();
    if (tok.type == TT::CParen) {
      close_tok = read();
      break;
    }
    size_t mark = diags.size();
    MNodePtr arg = parse_expression(diags);
    call->args.push_back(std::move(arg));
    if (recovery && errors_since(diags, mark)) {
      Token rec = recover(TT::CParen);
      if (rec.type == TT::CParen) close_tok = rec;
      break;
    }
    Token sep = read();
    if (sep.type == TT::CParen) {
      close_tok = sep;
      break;
    }
    if (sep.type == TT::Ellipsis) {
      call->expand_final = true;
      if (peek().type != TT::CParen) {
        if (!recovery)
          diags.error("Missing closing parenthesis",
                      "An expanded function argument (with ...) must be immediately followed by "
                      "closing parentheses.",
                      sep.range, between(name.range, sep.range));
        close_tok = recover(TT::CParen);
      } else {
        close_tok = read();
      }
      break;
    }
    if (sep.type != TT::Comma) {
      if (sep.type == TT::EOF_)
        diags.error("Unterminated function call",
                    "There is no closing parenthesis for this function call before the end of the "
                    "file. This may be caused by incorrect parenthesis nesting elsewhere in this "
                    "file.",
                    between(name.range, open_tok.range));
      else
        diags.error("Missing argument separator",
                    "A comma is required to separate each function argument from the next.",
                    sep.range, between(name.range, sep.range));
      close_tok = recover(TT::CParen);
      break;
    }
    if (peek().type == TT::CParen) {
      close_tok = read();
      break;
    }
  }
  pop_newlines();

  call->name = std::move(name_str);
  call->name_range = name_range;
  call->open_paren_range = open_tok.range;
  call->close_paren_range = close_tok.range;
  call->src_range = between(name_range, close_tok.range);
  return call;
}

MNodePtr Parser::parse_tuple_cons(Diagnostics& diags) {
  Token open = read();
  push_newlines(false);
  struct Pop {
    Parser* p;
    ~Pop() { p->pop_newlines(); }
  } pop{this};

  if (is_keyword(peek(), "for")) return finish_for_expr(open, diags);

  auto tuple = std::make_shared<TupleConsExpr>();
  Token close;
  for (;;) {
    Token next = peek();
    if (next.type == TT::CBrack) {
      close = read();
      break;
    }
    size_t mark = diags.size();
    MNodePtr expr = parse_expression(diags);
    tuple->exprs.push_back(std::move(expr));
    if (recovery && errors_since(diags, mark)) {
      close = recover(TT::CBrack);
      break;
    }
    next = peek();
    if (next.type == TT::CBrack) {
      close = read();
      break;
    }
    // HCL 2.24's grammar (native-syntax.md, CollectionValue) separates tuple
    // items by "," or a newline; 2.24's parser and 2.14.1 still want a
    // comma. kiln follows the specification, as its issue asks: an item
    // that starts on a later line than the previous one ended is the next
    // item (docs/hcl-differences.md).
    if (next.type != TT::Comma && next.type != TT::EOF_ &&
        next.range.start.line > tuple->exprs.back()->range().end.line) {
      continue;
    }
    if (next.type != TT::Comma) {
      if (!recovery) {
        if (next.type == TT::EOF_)
          diags.error("Unterminated tuple constructor expression",
                      "There is no corresponding closing bracket before the end of the file. This "
                      "may be caused by incorrect bracket nesting elsewhere in this file.",
                      open.range);
        else
          diags.error("Missing item separator",
                      "Expected a comma to mark the beginning of the next item.", next.range,
                      between(open.range, next.range));
      }
      close = recover(TT::CBrack);
      break;
    }
    read();  // the comma
  }
  tuple->src_range = between(open.range, close.range);
  tuple->open_range = open.range;
  return tuple;
}

MNodePtr Parser::parse_object_cons(Diagnostics& diags) {
  Token open = read();
  // `for` is looked for ignoring newlines: for expressions are not
  // newline-sensitive, object constructors are.
  push_newlines(false);
  bool is_for = is_keyword(peek(), "for");
  pop_newlines();
  if (is_for) return finish_for_expr(open, diags);

  push_newlines(true);
  struct Pop {
    Parser* p;
    ~Pop() { p->pop_newlines(); }
  } pop{this};

  auto obj = std::make_shared<ObjectConsExpr>();
  Token close;
  for (;;) {
    Token next = peek();
    if (next.type == TT::Newline) {
      read();
      continue;
    }
    if (next.type == TT::CBrace) {
      close = read();
      break;
    }
    // A parenthesised key is always an expression, never a bare name.
    bool force_non_literal = next.type == TT::OParen;
    size_t mark = diags.size();
    MNodePtr key_expr = parse_expression(diags);
    if (recovery && errors_since(diags, mark)) {
      close = recover(TT::CBrace);
      break;
    }
    auto key = std::make_shared<ObjectConsKeyExpr>();
    key->src_range = key_expr->range();
    key->wrapped = std::move(key_expr);
    key->force_non_literal = force_non_literal;

    next = peek();
    if (next.type != TT::Equal && next.type != TT::Colon) {
      if (!recovery) {
        switch (next.type) {
          case TT::Newline:
          case TT::Comma:
            diags.error("Missing attribute value",
                        "Expected an attribute value, introduced by an equals sign (\"=\").",
                        next.range, between(open.range, next.range));
            break;
          case TT::Ident:
            diags.error("Missing key/value separator",
                        "Expected an equals sign (\"=\") to mark the beginning of the attribute "
                        "value. If you intended to given an attribute name containing periods or "
                        "spaces, write the name in quotes to create a string literal.",
                        next.range, between(open.range, next.range));
            break;
          case TT::EOF_:
            diags.error("Unterminated object constructor expression",
                        "There is no corresponding closing brace before the end of the file. This "
                        "may be caused by incorrect brace nesting elsewhere in this file.",
                        open.range);
            break;
          default:
            diags.error("Missing key/value separator",
                        "Expected an equals sign (\"=\") to mark the beginning of the attribute "
                        "value.",
                        next.range, between(open.range, next.range));
        }
      }
      close = recover(TT::CBrace);
      break;
    }
    read();  // = or :

    mark = diags.size();
    MNodePtr value = parse_expression(diags);
    if (recovery && errors_since(diags, mark)) {
      // HCL 2.22+ keeps an item whose value is a syntax error (for editors).
      if (dynamic_cast<ExprSyntaxError*>(value.get()))
        obj->items.push_back(ObjectConsExpr::Item{std::move(key), std::move(value)});
      close = recover(TT::CBrace);
      break;
    }
    obj->items.push_back(ObjectConsExpr::Item{std::move(key), std::move(value)});

    next = peek();
    if (next.type == TT::CBrace) {
      close = read();
      break;
    }
    if (next.type != TT::Comma && next.type != TT::Newline) {
      if (!recovery) {
        if (next.type == TT::EOF_)
          diags.error("Unterminated object constructor expression",
                      "There is no corresponding closing brace before the end of the file. This "
                      "may be caused by incorrect brace nesting elsewhere in this file.",
                      open.range);
        else
          diags.error("Missing attribute separator",
                      "Expected a newline or comma to mark the beginning of the next attribute.",
                      next.range, between(open.range, next.range));
      }
      close = recover(TT::CBrace);
      break;
    }
    read();  // comma or newline
  }
  obj->src_range = between(open.range, close.range);
  obj->open_range = open.range;
  return obj;
}

MNodePtr Parser::finish_for_expr(const Token& open, Diagnostics& diags) {
  push_newlines(false);
  struct Pop {
    Parser* p;
    ~Pop() { p->pop_newlines(); }
  } pop{this};
  read();  // "for"

  const bool make_obj = open.type == TT::OBrace;
  const TT close_type = make_obj ? TT::CBrace : TT::CBrack;

  auto fail = [&](const char* detail) -> MNodePtr {
    if (!recovery) {
      Range r = peek().range;
      diags.error("Invalid 'for' expression", detail, r, between(open.range, r));
    }
    Token close = recover(close_type);
    return placeholder(between(open.range, close.range));
  };

  if (peek().type != TT::Ident) return fail("For expression requires variable name after 'for'.");
  std::string key_name, val_name(read().bytes);
  if (peek().type == TT::Comma) {
    key_name = std::move(val_name);
    read();
    if (peek().type != TT::Ident)
      return fail("For expression requires value variable name after comma.");
    val_name = std::string(read().bytes);
  }
  if (!is_keyword(peek(), "in"))
    return fail("For expression requires the 'in' keyword after its name declarations.");
  read();

  size_t mark = diags.size();
  MNodePtr coll = parse_expression(diags);
  if (recovery && errors_since(diags, mark)) {
    Token close = recover(close_type);
    return placeholder(between(open.range, close.range));
  }
  if (peek().type != TT::Colon)
    return fail("For expression requires a colon after the collection expression.");
  read();

  MNodePtr key_expr, val_expr;
  mark = diags.size();
  val_expr = parse_expression(diags);
  if (peek().type == TT::FatArrow) {
    read();
    key_expr = std::move(val_expr);
    val_expr = parse_expression(diags);
  }
  if (recovery && errors_since(diags, mark)) {
    Token close = recover(close_type);
    return placeholder(between(open.range, close.range));
  }

  bool group = false;
  Token ellipsis;
  if (peek().type == TT::Ellipsis) {
    ellipsis = read();
    group = true;
  }

  MNodePtr cond;
  if (is_keyword(peek(), "if")) {
    read();
    mark = diags.size();
    cond = parse_expression(diags);
    if (recovery && errors_since(diags, mark)) {
      Token close = recover(opposite_bracket(open.type));
      return placeholder(between(open.range, close.range));
    }
  }

  Token close;
  if (peek().type == close_type) {
    close = read();
  } else {
    if (!recovery) {
      Range r = peek().range;
      diags.error("Invalid 'for' expression",
                  "Extra characters after the end of the 'for' expression.", r,
                  between(open.range, r));
    }
    close = recover(close_type);
  }

  if (!make_obj) {
    if (key_expr)
      diags.error("Invalid 'for' expression", "Key expression is not valid when building a tuple.",
                  key_expr->range(), between(open.range, close.range));
    if (group)
      diags.error("Invalid 'for' expression",
                  "Grouping ellipsis (...) cannot be used when building a tuple.", ellipsis.range,
                  between(open.range, close.range));
  } else if (!key_expr) {
    diags.error("Invalid 'for' expression", "Key expression is required when building an object.",
                val_expr->range(), between(open.range, close.range));
  }

  auto f = std::make_shared<ForExpr>();
  f->key_var = std::move(key_name);
  f->val_var = std::move(val_name);
  f->coll_expr = std::move(coll);
  f->key_expr = std::move(key_expr);
  f->val_expr = std::move(val_expr);
  f->cond_expr = std::move(cond);
  f->group = group;
  f->src_range = between(open.range, close.range);
  f->open_range = open.range;
  f->close_range = close.range;
  return f;
}

std::string Parser::parse_quoted_string_literal(Range* range, Diagnostics& diags) {
  Token oquote = read();
  if (oquote.type != TT::OQuote) {
    diags.error("Invalid string literal", "A quoted string is required here.", oquote.range);
    *range = oquote.range;
    return "";
  }
  std::string ret;
  Range end_range;
  for (bool done = false; !done;) {
    Token tok = read();
    switch (tok.type) {
      case TT::CQuote:
        end_range = tok.range;
        done = true;
        break;
      case TT::QuotedLit:
        ret += parse_string_literal_token(tok, diags);
        break;
      case TT::TemplateControl:
      case TT::TemplateInterp: {
        const char* which = tok.type == TT::TemplateControl ? "%" : "$";
        diags.error("Invalid string literal",
                    std::string("Template sequences are not allowed in this string. To include a "
                                "literal \"") +
                        which + "\", double it (as \"" + which + which + "\") to escape it.",
                    tok.range, between(oquote.range, tok.range));
        ret += which;
        ret += "{ ... }";
        recover(TT::TemplateSeqEnd);
        break;
      }
      case TT::EOF_:
        diags.error("Unterminated string literal",
                    "Unable to find the closing quote mark before the end of the file.", tok.range,
                    between(oquote.range, tok.range));
        end_range = tok.range;
        done = true;
        break;
      default:
        diags.error("Invalid string literal", "This item is not valid in a string literal.",
                    tok.range, between(oquote.range, tok.range));
        recover(TT::CQuote);
        end_range = tok.range;
        done = true;
    }
  }
  *range = between(oquote.range, end_range);
  return ret;
}

}  // namespace detail

// Chains built by loops (a+b+c..., x[a][b]..., x.y[z].w...) can be very
// deep on their left side; the destructors below unlink them iteratively.
namespace {

NodePtr* left_spine(const Node* n) {
  if (auto* b = dynamic_cast<const BinaryOpExpr*>(n)) return const_cast<NodePtr*>(&b->lhs);
  if (auto* i = dynamic_cast<const IndexExpr*>(n)) return const_cast<NodePtr*>(&i->collection);
  if (auto* r = dynamic_cast<const RelativeTraversalExpr*>(n))
    return const_cast<NodePtr*>(&r->source);
  if (auto* s = dynamic_cast<const SplatExpr*>(n)) return const_cast<NodePtr*>(&s->source);
  return nullptr;
}

void release_spine(NodePtr& first) {
  NodePtr next = std::move(first);
  while (next && next.use_count() == 1) {
    NodePtr* slot = left_spine(next.get());
    if (!slot) break;
    NodePtr inner = std::move(*slot);
    next = std::move(inner);  // frees the node, whose spine child is now empty
  }
}

}  // namespace

BinaryOpExpr::~BinaryOpExpr() {
  release_spine(lhs);
}
IndexExpr::~IndexExpr() {
  release_spine(collection);
}
RelativeTraversalExpr::~RelativeTraversalExpr() {
  release_spine(source);
}
SplatExpr::~SplatExpr() {
  release_spine(source);
}

Value ExprSyntaxError::value(const EvalContext*, Diagnostics& diags) const {
  diags.append(parse_diags);
  return Value::dynamic_unknown();
}

// --- entry points -----------------------------------------------------------------

using detail::Parser;

std::shared_ptr<const NativeBody> parse_config(const std::string& src, std::string_view filename,
                                               Pos start, Diagnostics& diags) {
  std::vector<Token> tokens = scan_tokens(src, filename, start, ScanMode::Normal);
  check_invalid_tokens(tokens, diags);
  Parser p(tokens);
  return p.parse_body(TokenType::EOF_, diags);
}

NodePtr parse_expression(std::string_view src, std::string_view filename, Pos start,
                         Diagnostics& diags) {
  std::vector<Token> tokens = scan_tokens(src, filename, start, ScanMode::Normal);
  check_invalid_tokens(tokens, diags);
  Parser p(tokens);
  p.push_newlines(false);
  detail::MNodePtr expr = p.parse_expression(diags);
  Token next = p.peek();
  if (next.type != TokenType::EOF_ && !p.recovery)
    diags.error("Extra characters after expression",
                "An expression was successfully parsed, but extra characters were found after it.",
                next.range);
  p.pop_newlines();
  return expr;
}

NodePtr parse_template(std::string_view src, std::string_view filename, Pos start,
                       Diagnostics& diags) {
  std::vector<Token> tokens = scan_tokens(src, filename, start, ScanMode::Template);
  check_invalid_tokens(tokens, diags);
  Parser p(tokens);
  return p.parse_template(TokenType::EOF_, false, diags);
}

Traversal parse_traversal_abs(std::string_view src, std::string_view filename, Pos start,
                              Diagnostics& diags) {
  std::vector<Token> tokens = scan_tokens(src, filename, start, ScanMode::Normal);
  check_invalid_tokens(tokens, diags);
  Parser p(tokens);
  p.push_newlines(false);
  Traversal t = p.parse_traversal(false, diags);
  p.pop_newlines();
  return t;
}

}  // namespace kiln::hcl::syntax

namespace kiln::hcl {

File parse_native_file(std::string bytes, std::string filename, Diagnostics& diags) {
  File f;
  f.bytes = std::make_shared<const std::string>(std::move(bytes));
  std::string_view fname = intern_filename(filename);
  f.body = syntax::parse_config(*f.bytes, fname, Pos{1, 1, 0}, diags);
  f.filename = std::move(filename);
  return f;
}

}  // namespace kiln::hcl
