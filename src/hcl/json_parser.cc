// The JSON parser: HCL's own recursive-descent JSON parser, with its error
// recovery and messages, producing the tree in json_ast.h. Also the file
// entry points of parse.h for JSON, and parse_file's dispatch.
#include <cstring>

#include "hcl/json_ast.h"
#include "hcl/json_syntax.h"
#include "hcl/number.h"
#include "hcl/parse.h"

namespace kiln::hcl::json {

namespace {

// Deeper nesting than this is reported rather than risking the stack.
constexpr int kMaxDepth = 1000;

const char* const kValueStart =
    "A JSON value must start with a brace, a bracket, a number, a string, or a keyword.";

int hex_digit(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Checks a string token as encoding/json's validator does. On error,
// returns false and the validator's offset: one past the offending byte,
// or the token's length when it ends prematurely.
bool validate_string(std::string_view s, size_t* err_offset, size_t* close) {
  // s[0] is the opening quote.
  size_t i = 1;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      *close = i;
      // The token can run on past the closing quote when a grapheme cluster
      // spans it; the validator accepts only whitespace after the value.
      for (size_t k = i + 1; k < s.size(); ++k) {
        char t = s[k];
        if (t != ' ' && t != '\t' && t != '\r' && t != '\n') {
          *err_offset = k + 1;
          return false;
        }
      }
      return true;
    }
    if (c < 0x20) {
      *err_offset = i + 1;
      return false;
    }
    if (c != '\\') {
      ++i;
      continue;
    }
    ++i;
    if (i >= s.size()) break;
    c = static_cast<unsigned char>(s[i]);
    if (std::strchr("bfnrt\\/\"", c) != nullptr && c != 0) {
      ++i;
      continue;
    }
    if (c != 'u') {
      *err_offset = i + 1;
      return false;
    }
    ++i;
    for (int k = 0; k < 4; ++k, ++i) {
      if (i >= s.size()) {
        *err_offset = s.size();
        return false;
      }
      if (hex_digit(static_cast<unsigned char>(s[i])) < 0) {
        *err_offset = i + 1;
        return false;
      }
    }
  }
  *err_offset = s.size();
  return false;
}

// \uXXXX at s[i..]; -1 if not there.
int32_t read_u4(std::string_view s, size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
  int32_t r = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    int d = hex_digit(static_cast<unsigned char>(s[k]));
    if (d < 0) return -1;
    r = r * 16 + d;
  }
  return r;
}

void put_utf8(std::string& out, uint32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

// Length of the valid UTF-8 sequence at s[i] (Go's utf8.DecodeRune rules:
// no overlongs, no surrogates, nothing above U+10FFFF), or 0 if invalid.
size_t utf8_valid_len(std::string_view s, size_t i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  size_t n = s.size() - i;
  auto cont = [&](size_t k) {
    return k < n && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;
    if (b0 == 0xED && b1 > 0x9F) return 0;
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xF0 && b1 < 0x90) return 0;
    if (b0 == 0xF4 && b1 > 0x8F) return 0;
    return 4;
  }
  return 0;
}

// Decodes a validated string token as encoding/json does: escapes resolved,
// lone surrogates and invalid UTF-8 bytes each become U+FFFD.
// s is a validated token, close the index of its closing quote.
std::string decode_string(std::string_view s, size_t close) {
  std::string_view body = s.substr(1, close - 1);
  std::string out;
  out.reserve(body.size());
  size_t i = 0;
  while (i < body.size()) {
    // Copy the run that needs no processing.
    size_t run = i;
    while (run < body.size()) {
      auto c = static_cast<unsigned char>(body[run]);
      if (c == '\\') break;
      if (c < 0x80) {
        ++run;
        continue;
      }
      size_t n = utf8_valid_len(body, run);
      if (n == 0) break;
      run += n;
    }
    out.append(body.data() + i, run - i);
    i = run;
    if (i >= body.size()) break;
    auto c = static_cast<unsigned char>(body[i]);
    if (c != '\\') {
      out += "\xEF\xBF\xBD";  // an invalid byte
      ++i;
      continue;
    }
    char e = body[i + 1];
    switch (e) {
      case 'b':
        out += '\b';
        i += 2;
        continue;
      case 'f':
        out += '\f';
        i += 2;
        continue;
      case 'n':
        out += '\n';
        i += 2;
        continue;
      case 'r':
        out += '\r';
        i += 2;
        continue;
      case 't':
        out += '\t';
        i += 2;
        continue;
      case 'u':
        break;
      default:
        out += e;
        i += 2;
        continue;
    }
    int32_t r = read_u4(body, i);
    i += 6;
    if (r >= 0xD800 && r < 0xE000) {
      int32_t r2 = read_u4(body, i);
      if (r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000) {
        put_utf8(out, 0x10000 + ((static_cast<uint32_t>(r) - 0xD800) << 10) +
                          (static_cast<uint32_t>(r2) - 0xDC00));
        i += 6;
        continue;
      }
      r = 0xFFFD;
    }
    put_utf8(out, static_cast<uint32_t>(r));
  }
  return out;
}

// The JSON number grammar, as encoding/json checks it.
bool valid_number(std::string_view s) {
  size_t i = 0, n = s.size();
  auto digit = [&](size_t k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
  if (i < n && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == n;
}

// The value is read when evaluated; here only what can make reading fail is
// checked: big.Float rejects binary exponents beyond int32, which only long
// exponent parts can reach.
bool exponent_in_range(std::string_view s) {
  size_t e = s.find_first_of("eE");
  if (e == std::string_view::npos) return true;
  size_t digits = s.find_first_not_of("+-", e + 1);
  digits = s.find_first_not_of('0', digits);
  if (digits == std::string_view::npos || s.size() - digits <= 8) return true;
  return Number::parse(s).has_value();
}

class Parser {
 public:
  Parser(std::string_view src, std::string_view filename, Pos start, Diagnostics& diags)
      : scanner_(src, filename, start), diags_(diags) {
    cur_ = scanner_.next();
  }

  const Tok& peek() const { return cur_; }
  Tok read() {
    Tok t = cur_;
    if (t.type != TokType::Eof) cur_ = scanner_.next();
    return t;
  }

  // Always produces a node: an Invalid one where parsing failed.
  void parse_value(Node& out) {
    Tok tok = peek();
    bool ok = false;
    switch (tok.type) {
      case TokType::BraceO:
        ok = enter() && parse_object(out);
        --depth_;
        break;
      case TokType::BrackO:
        ok = enter() && parse_array(out);
        --depth_;
        break;
      case TokType::Number:
        ok = parse_number(out);
        break;
      case TokType::String:
        ok = parse_string(out);
        break;
      case TokType::Keyword:
        ok = parse_keyword(out);
        break;
      case TokType::BraceC:
        err("Missing JSON value", kValueStart, tok.range);
        break;
      case TokType::BrackC:
        err("Missing array element value", kValueStart, tok.range);
        break;
      case TokType::Eof:
        err("Missing value", "The JSON data ends prematurely.", tok.range);
        break;
      default:
        err("Invalid start of value", kValueStart, tok.range);
        break;
    }
    if (!ok) {
      // out is still as constructed (nothing is filled in before success).
      out.kind = Node::Kind::Invalid;
      out.range = out.open_range = tok.range;
    }
  }

 private:
  // Out of line, so that the recursive functions' frames stay small.
  [[gnu::noinline]] void err(const char* summary, const char* detail, const Range& subject) {
    diags_.error(summary, detail, subject);
  }
  [[gnu::noinline]] void err(const char* summary, std::string detail, const Range& subject) {
    diags_.error(summary, std::move(detail), subject);
  }

  bool enter() {
    if (++depth_ <= kMaxDepth) return true;
    Tok t = read();
    err("Nesting too deep", "The JSON value nests objects and arrays too deeply.", t.range);
    // Skip to the end: there is no sensible way to continue.
    while (read().type != TokType::Eof) {
    }
    return false;
  }

  // Skips ahead to what seems the end of the construct after an error. As
  // in HCL, this stops at the first closer at any depth below the opener.
  void recover(Tok tok, TokType open_type, TokType close_type) {
    int open = 1;
    for (;;) {
      if (tok.type == open_type) {
        ++open;
      } else if (tok.type == close_type) {
        --open;
        if (open <= 1) return;
      } else if (tok.type == TokType::Eof) {
        return;
      }
      tok = read();
    }
  }

  bool parse_object(Node& out) {
    Tok open = read();
    std::vector<Attr> attrs;
    for (;;) {
      if (peek().type == TokType::BraceC) break;

      Node key;
      parse_value(key);
      if (key.kind != Node::Kind::String) {
        err("Invalid object property name", "A JSON object property name must be a string",
            key.start_range());
        return false;
      }

      Tok colon = read();
      if (colon.type != TokType::Colon) {
        recover(colon, TokType::BraceO, TokType::BraceC);
        if (colon.type == TokType::BraceC || colon.type == TokType::Comma) {
          err("Missing object value",
              "A JSON object attribute must have a value, introduced by a colon.", colon.range);
        } else if (colon.type == TokType::Equals) {
          err("Missing property value colon",
              "JSON uses a colon as its name/value delimiter, not an equals sign.", colon.range);
        } else {
          err("Missing property value colon",
              "A colon must appear between an object property's name and its value.", colon.range);
        }
        return false;
      }

      Attr& attr = attrs.emplace_back();
      attr.name = std::move(key.text);
      attr.name_range = key.range;
      parse_value(attr.value);

      switch (peek().type) {
        case TokType::Comma: {
          Tok comma = read();
          if (peek().type == TokType::BraceC) {
            err("Trailing comma in object",
                "JSON does not permit a trailing comma after the final property in an object.",
                comma.range);
            return false;
          }
          continue;
        }
        case TokType::Eof:
          err("Unclosed object", "No closing brace was found for this JSON object.", open.range);
          return false;
        case TokType::BrackC:
          read();
          err("Mismatched braces", "A JSON object must be closed with a brace, not a bracket.",
              peek().range);
          return false;
        case TokType::BraceC:
          break;
        default:
          recover(read(), TokType::BraceO, TokType::BraceC);
          err("Missing attribute seperator comma",
              "A comma must appear between each property definition in an object.", peek().range);
          return false;
      }
      break;
    }
    Tok close = read();
    out.kind = Node::Kind::Object;
    out.attrs = std::move(attrs);
    out.range = Range::between(open.range, close.range);
    out.open_range = open.range;
    out.close_range = close.range;
    return true;
  }

  bool parse_array(Node& out) {
    Tok open = read();
    std::vector<Node> values;
    for (;;) {
      if (peek().type == TokType::BrackC) break;

      parse_value(values.emplace_back());

      switch (peek().type) {
        case TokType::Comma: {
          Tok comma = read();
          if (peek().type == TokType::BrackC) {
            err("Trailing comma in array",
                "JSON does not permit a trailing comma after the final value in an array.",
                comma.range);
            return false;
          }
          continue;
        }
        case TokType::Colon:
          recover(read(), TokType::BrackO, TokType::BrackC);
          err("Invalid array value", "A colon is not used to introduce values in a JSON array.",
              peek().range);
          return false;
        case TokType::Eof:
          recover(read(), TokType::BrackO, TokType::BrackC);
          err("Unclosed object", "No closing bracket was found for this JSON array.", open.range);
          return false;
        case TokType::BraceC:
          recover(read(), TokType::BrackO, TokType::BrackC);
          err("Mismatched brackets", "A JSON array must be closed with a bracket, not a brace.",
              peek().range);
          return false;
        case TokType::BrackC:
          break;
        default:
          recover(read(), TokType::BrackO, TokType::BrackC);
          err("Missing attribute seperator comma",
              "A comma must appear between each value in an array.", peek().range);
          return false;
      }
      break;
    }
    Tok close = read();
    out.kind = Node::Kind::Array;
    out.values = std::move(values);
    out.range = Range::between(open.range, close.range);
    out.open_range = open.range;
    out.close_range = close.range;
    return true;
  }

  bool parse_number(Node& out) {
    Tok tok = read();
    if (!valid_number(tok.bytes) || !exponent_in_range(tok.bytes)) {
      err("Invalid JSON number", "There is a syntax error in the given JSON number.", tok.range);
      return false;
    }
    out.kind = Node::Kind::Number;
    out.text = std::string(tok.bytes);
    out.range = out.open_range = tok.range;
    return true;
  }

  bool parse_string(Node& out) {
    Tok tok = read();
    size_t err_offset = 0, close = 0;
    if (!validate_string(tok.bytes, &err_offset, &close)) {
      // The error points at a single byte, counted in bytes also for the
      // column, as HCL does.
      Range at = tok.range;
      at.start.byte += err_offset;
      at.start.column += static_cast<int>(err_offset);
      at.end = at.start;
      at.end.byte += 1;
      at.end.column += 1;
      std::optional<Range> context;
      if (!(at == tok.range)) context = tok.range;
      diags_.error("Invalid JSON string", "There is a syntax error in the given JSON string.", at,
                   context);
      return false;
    }
    out.kind = Node::Kind::String;
    out.text = decode_string(tok.bytes, close);
    out.range = out.open_range = tok.range;
    return true;
  }

  bool parse_keyword(Node& out) {
    Tok tok = read();
    std::string_view s = tok.bytes;
    if (s == "true" || s == "false" || s == "null") {
      out.kind = s == "null" ? Node::Kind::Null : Node::Kind::Bool;
      out.boolean = s == "true";
      out.range = out.open_range = tok.range;
      return true;
    }
    if (s == "undefined" || s == "NaN" || s == "Infinity") {
      err("Invalid JSON keyword",
          "The JavaScript identifier " + go_quote(s) + " cannot be used in JSON.", tok.range);
      return false;
    }
    std::string detail = go_quote(s) + " is not a valid JSON keyword.";
    static const std::vector<std::string> kKeywords = {"false", "true", "null"};
    std::string suggest = name_suggestion(s, kKeywords);
    if (!suggest.empty()) detail += " Did you mean " + go_quote(suggest) + "?";
    err("Invalid JSON keyword", std::move(detail), tok.range);
    return false;
  }

  Scanner scanner_;
  Tok cur_;
  Diagnostics& diags_;
  int depth_ = 0;
};

}  // namespace

Node parse_value_text(std::string_view src, std::string_view filename, Pos start,
                      Diagnostics& diags) {
  Diagnostics local;
  Parser p(src, filename, start, local);
  Node root;
  p.parse_value(root);
  if (local.empty() && p.peek().type != TokType::Eof) {
    local.error("Extraneous data after value", "Extra characters appear after the JSON value.",
                p.peek().range);
  }
  diags.append(local);
  return root;
}

File parse(std::string bytes, std::string filename, Pos start, Diagnostics& diags) {
  File file;
  auto src = std::make_shared<const std::string>(std::move(bytes));
  std::string_view fname = intern_filename(filename);
  auto root = std::make_shared<Node>(parse_value_text(*src, fname, start, diags));
  if (!root->is_object() && !root->is_array()) {
    diags.error("Root value must be object",
                "The root value in a JSON-based configuration must be either a JSON object or a "
                "JSON array of objects.",
                root->start_range());
    // An empty object standing in for the root, at the start of the file,
    // without a closing brace (so with a zero range there).
    Range fake;
    fake.filename = fname;
    fake.start = fake.end = Pos{1, 1, 0};
    *root = Node{};
    root->kind = Node::Kind::Object;
    root->range = root->open_range = fake;
    root->close_range = Range{};
    root->close_range.start = root->close_range.end = Pos{0, 0, 0};
  }
  file.body = std::make_shared<JsonBody>(std::move(root));
  file.bytes = std::move(src);
  file.filename = std::move(filename);
  return file;
}

ExpressionPtr parse_expression(std::string_view src, std::string_view filename, Pos start,
                               Diagnostics& diags) {
  std::string_view fname = intern_filename(filename);
  auto root = std::make_shared<const Node>(parse_value_text(src, fname, start, diags));
  return std::make_shared<JsonExpression>(std::move(root));
}

}  // namespace kiln::hcl::json

namespace kiln::hcl {

File parse_json_file(std::string bytes, std::string filename, Diagnostics& diags) {
  return json::parse(std::move(bytes), std::move(filename), Pos{1, 1, 0}, diags);
}

File parse_file(std::string bytes, std::string filename, Diagnostics& diags) {
  std::string_view name = filename;
  if (name.size() >= 5 && name.substr(name.size() - 5) == ".json") {
    return parse_json_file(std::move(bytes), std::move(filename), diags);
  }
  return parse_native_file(std::move(bytes), std::move(filename), diags);
}

}  // namespace kiln::hcl
