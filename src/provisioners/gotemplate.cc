#include "provisioners/gotemplate.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

namespace kiln::prov {

namespace {

struct Token {
  enum Kind { Field, String, Number, Ident, Pipe, Dot } kind;
  std::string text;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Splits an action's text into tokens; false and *error on a bad one.
bool tokenize(std::string_view s, std::vector<Token>& out, std::string* error) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (is_space(c)) {
      ++i;
    } else if (c == '|') {
      out.push_back({Token::Pipe, "|"});
      ++i;
    } else if (c == '"') {
      std::string v;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char d = s[i++];
        if (d == '"') {
          closed = true;
          break;
        }
        if (d == '\\' && i < s.size()) {
          char e = s[i++];
          switch (e) {
            case 'n':
              v += '\n';
              break;
            case 't':
              v += '\t';
              break;
            case 'r':
              v += '\r';
              break;
            default:
              v += e;
          }
        } else {
          v += d;
        }
      }
      if (!closed) {
        *error = "unterminated quoted string";
        return false;
      }
      out.push_back({Token::String, v});
    } else if (c == '`') {
      size_t end = s.find('`', i + 1);
      if (end == std::string_view::npos) {
        *error = "unterminated raw quoted string";
        return false;
      }
      out.push_back({Token::String, std::string(s.substr(i + 1, end - i - 1))});
      i = end + 1;
    } else if (c == '.') {
      size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      if (j == i + 1)
        out.push_back({Token::Dot, "."});
      else
        out.push_back({Token::Field, std::string(s.substr(i + 1, j - i - 1))});
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
      size_t j = i + 1;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Token::Number, std::string(s.substr(i, j - i))});
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Token::Ident, std::string(s.substr(i, j - i))});
      i = j;
    } else {
      *error = std::string("unexpected \"") + c + "\" in command";
      return false;
    }
  }
  return true;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string replace_n(std::string s, const std::string& from, const std::string& to, long n) {
  if (from.empty()) return s;
  size_t pos = 0;
  while ((n < 0 || n-- > 0) && (pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::string new_uuid() {
  std::random_device rd;
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(rd());
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

// Calls a Packer template function; false and *error when unknown or misused.
bool call(const std::string& fn, const std::vector<std::string>& args, const TemplateData& d,
          std::string& out, std::string* error) {
  auto want = [&](size_t n) {
    if (args.size() == n) return true;
    *error = "wrong number of args for " + fn + ": want " + std::to_string(n) + " got " +
             std::to_string(args.size());
    return false;
  };
  if (fn == "build_name") {
    if (!want(0)) return false;
    out = d.build_name;
  } else if (fn == "build_type") {
    if (!want(0)) return false;
    out = d.builder_type;
  } else if (fn == "build") {
    if (!want(1)) return false;
    auto it = d.build.find(args[0]);
    if (it == d.build.end()) {
      *error = "loading data from state: " + args[0] + " not found";
      return false;
    }
    out = it->second;
  } else if (fn == "template_dir") {
    if (!want(0)) return false;
    out = d.template_dir;
  } else if (fn == "pwd") {
    if (!want(0)) return false;
    char buf[4096];
    out = ::getcwd(buf, sizeof buf) ? buf : "";
  } else if (fn == "timestamp") {
    if (!want(0)) return false;
    out = std::to_string(std::time(nullptr));
  } else if (fn == "uuid") {
    if (!want(0)) return false;
    out = new_uuid();
  } else if (fn == "upper" || fn == "lower") {
    if (!want(1)) return false;
    out = fn == "upper" ? upper(args[0]) : lower(args[0]);
  } else if (fn == "replace") {
    // replace old new n src
    if (!want(4)) return false;
    out = replace_n(args[3], args[0], args[1], std::strtol(args[2].c_str(), nullptr, 10));
  } else if (fn == "replace_all") {
    if (!want(3)) return false;
    out = replace_n(args[2], args[0], args[1], -1);
  } else if (fn == "split") {
    // split src sep index
    if (!want(3)) return false;
    std::vector<std::string> parts;
    size_t start = 0, pos;
    while (!args[1].empty() && (pos = args[0].find(args[1], start)) != std::string::npos) {
      parts.push_back(args[0].substr(start, pos - start));
      start = pos + args[1].size();
    }
    parts.push_back(args[0].substr(start));
    long idx = std::strtol(args[2].c_str(), nullptr, 10);
    if (idx < 0 || static_cast<size_t>(idx) >= parts.size()) {
      *error = "the substring " + std::to_string(idx) + " was unavailable using the separator";
      return false;
    }
    out = parts[static_cast<size_t>(idx)];
  } else if (fn == "isotime") {
    if (!args.empty()) {
      *error = "isotime with a Go layout is not supported by kiln";
      return false;
    }
    char buf[64];
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    out = buf;
  } else if (fn == "print") {
    out.clear();
    for (auto& a : args) out += a;
  } else if (fn == "env" || fn == "user") {
    *error = "function \"" + fn + "\" is not available here; use HCL (" +
             (fn == "env" ? "env()" : "var.") + ") instead";
    return false;
  } else {
    *error = "function \"" + fn + "\" not defined";
    return false;
  }
  return true;
}

bool eval_action(std::string_view action, const TemplateData& d, std::string& out,
                 std::string* error) {
  std::vector<Token> toks;
  if (!tokenize(action, toks, error)) return false;
  if (toks.empty()) {
    *error = "missing value for command";
    return false;
  }
  if (toks[0].kind == Token::Ident &&
      (toks[0].text == "if" || toks[0].text == "range" || toks[0].text == "with" ||
       toks[0].text == "end" || toks[0].text == "else" || toks[0].text == "define" ||
       toks[0].text == "template" || toks[0].text == "block")) {
    *error = "\"" + toks[0].text + "\" actions are not supported by kiln";
    return false;
  }
  // Pipeline: commands separated by '|'; a piped value is the last argument.
  std::optional<std::string> piped;
  size_t i = 0;
  while (i < toks.size()) {
    size_t j = i;
    while (j < toks.size() && toks[j].kind != Token::Pipe) ++j;
    if (j == i) {
      *error = "missing command in pipeline";
      return false;
    }
    std::vector<std::string> args;
    std::string value;
    const Token& head = toks[i];
    auto operand = [&](const Token& t, std::string& v) {
      switch (t.kind) {
        case Token::String:
        case Token::Number:
          v = t.text;
          return true;
        case Token::Field: {
          auto it = d.fields.find(t.text);
          if (it != d.fields.end()) {
            v = it->second;
          } else if (d.strict_fields) {
            *error = "can't evaluate field " + t.text;
            return false;
          } else {
            v = "<no value>";
          }
          return true;
        }
        case Token::Dot:
          v = "";
          return true;
        default:
          *error = "unexpected \"" + t.text + "\" in operand";
          return false;
      }
    };
    if (head.kind == Token::Ident) {
      for (size_t k = i + 1; k < j; ++k) {
        std::string a;
        if (!operand(toks[k], a)) return false;
        args.push_back(a);
      }
      if (piped) args.push_back(*piped);
      if (!call(head.text, args, d, value, error)) return false;
    } else {
      if (j - i > 1 || piped) {
        *error = "can't give argument to non-function " + head.text;
        return false;
      }
      if (!operand(head, value)) return false;
    }
    piped = value;
    i = j + 1;
    if (j < toks.size() && i >= toks.size()) {
      *error = "missing command after |";
      return false;
    }
  }
  out = *piped;
  return true;
}

}  // namespace

std::optional<std::string> render_template(std::string_view text, const TemplateData& data,
                                           std::string* error) {
  if (text.find("{{") == std::string_view::npos) return std::string(text);
  std::string out;
  std::string err;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    std::string_view lit = text.substr(pos, open - pos);
    size_t body = open + 2;
    // "{{- " trims the whitespace before the action.
    if (body + 1 < text.size() && text[body] == '-' && is_space(text[body + 1])) {
      while (!lit.empty() && is_space(lit.back())) lit.remove_suffix(1);
      body += 2;
    }
    out.append(lit);
    // Find the closing braces outside string literals.
    size_t k = body;
    char quote = 0;
    size_t close = std::string_view::npos;
    while (k + 1 < text.size() + 1 && k < text.size()) {
      char c = text[k];
      if (quote) {
        if (c == '\\' && quote == '"')
          ++k;
        else if (c == quote)
          quote = 0;
      } else if (c == '"' || c == '`') {
        quote = c;
      } else if (c == '}' && k + 1 < text.size() && text[k + 1] == '}') {
        close = k;
        break;
      }
      ++k;
    }
    if (close == std::string_view::npos) {
      if (error) *error = "template: unclosed action";
      return std::nullopt;
    }
    std::string_view action = text.substr(body, close - body);
    bool trim_after = false;
    if (action.size() >= 2 && action.back() == '-' && is_space(action[action.size() - 2])) {
      trim_after = true;
      action.remove_suffix(2);
    }
    std::string_view stripped = action;
    while (!stripped.empty() && is_space(stripped.front())) stripped.remove_prefix(1);
    while (!stripped.empty() && is_space(stripped.back())) stripped.remove_suffix(1);
    if (stripped.size() >= 4 && stripped.substr(0, 2) == "/*" &&
        stripped.substr(stripped.size() - 2) == "*/") {
      // a comment
    } else {
      std::string v;
      if (!eval_action(action, data, v, &err)) {
        if (error) *error = "template: " + err + " in {{" + std::string(action) + "}}";
        return std::nullopt;
      }
      out += v;
    }
    pos = close + 2;
    if (trim_after)
      while (pos < text.size() && is_space(text[pos])) ++pos;
  }
  return out;
}

}  // namespace kiln::prov
