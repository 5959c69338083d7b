#include "hcldec/json_out.h"

#include "hcl/value.h"

#include <fmt/format.h>
#include <algorithm>
#include <utility>
#include <vector>

namespace kiln::hcldec {

std::string go_json_quote(std::string_view s) {
  return hcl::json_quote(s);
}

std::string go_json_indent(std::string_view src, std::string_view indent, int base_depth) {
  std::string out;
  out.reserve(src.size() * 2);
  int depth = base_depth;
  auto newline = [&](int d) {
    out += '\n';
    for (int k = 0; k < d; ++k) out.append(indent);
  };
  for (size_t i = 0; i < src.size(); ++i) {
    char c = src[i];
    switch (c) {
      case '"': {
        size_t j = i + 1;
        while (j < src.size() && src[j] != '"') j += src[j] == '\\' ? 2 : 1;
        out.append(src.substr(i, j - i + 1));
        i = j;
        break;
      }
      case '{':
      case '[': {
        char close = c == '{' ? '}' : ']';
        if (i + 1 < src.size() && src[i + 1] == close) {
          out += c;
          out += close;
          ++i;
          break;
        }
        out += c;
        ++depth;
        newline(depth);
        break;
      }
      case '}':
      case ']':
        --depth;
        newline(depth);
        out += c;
        break;
      case ',':
        out += ',';
        newline(depth);
        break;
      case ':':
        out += ": ";
        break;
      case ' ':
      case '\n':
      case '\t':
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

struct Stripper {
  std::string_view s;
  size_t i = 0;

  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
  }
  std::string_view string_token() {
    size_t start = i++;
    while (i < s.size() && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
    ++i;
    return s.substr(start, i - start);
  }
  // Key order compares the decoded strings; keys hcldec writes use only
  // simple escapes, so comparing the decoded form of common escapes is
  // enough. Decode fully for correctness of \uXXXX too.
  static std::string decode_key(std::string_view tok) {
    std::string out;
    for (size_t k = 1; k + 1 < tok.size(); ++k) {
      char c = tok[k];
      if (c != '\\') {
        out += c;
        continue;
      }
      char e = tok[++k];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          uint32_t cp =
              static_cast<uint32_t>(std::stoul(std::string(tok.substr(k + 1, 4)), nullptr, 16));
          k += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && k + 6 < tok.size() && tok[k + 1] == '\\' &&
              tok[k + 2] == 'u') {
            uint32_t lo =
                static_cast<uint32_t>(std::stoul(std::string(tok.substr(k + 3, 4)), nullptr, 16));
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            k += 6;
          }
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
          break;
        }
        default:
          out += e;
      }
    }
    return out;
  }

  // Returns the re-encoded value; *is_null when it is the literal null.
  std::string value(bool* is_null) {
    ws();
    *is_null = false;
    if (i >= s.size()) return {};
    char c = s[i];
    if (c == '{') {
      ++i;
      std::vector<std::pair<std::string, std::string>> members;  // decoded key, "key":value
      ws();
      if (i < s.size() && s[i] == '}') {
        ++i;
        return "{}";
      }
      while (i < s.size()) {
        ws();
        std::string_view key = string_token();
        ws();
        ++i;  // ':'
        bool null = false;
        std::string v = value(&null);
        if (!null) members.emplace_back(decode_key(key), std::string(key) + ":" + v);
        ws();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        ++i;  // '}'
        break;
      }
      std::stable_sort(members.begin(), members.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::string out = "{";
      for (size_t k = 0; k < members.size(); ++k) {
        if (k) out += ',';
        out += members[k].second;
      }
      return out + "}";
    }
    if (c == '[') {
      ++i;
      std::string out = "[";
      ws();
      if (i < s.size() && s[i] == ']') {
        ++i;
        return "[]";
      }
      bool first = true;
      while (i < s.size()) {
        bool null = false;
        std::string v = value(&null);
        if (!first) out += ',';
        first = false;
        out += v;
        ws();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        ++i;  // ']'
        break;
      }
      return out + "]";
    }
    if (c == '"') return std::string(string_token());
    size_t start = i;
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n')
      ++i;
    std::string_view tok = s.substr(start, i - start);
    *is_null = tok == "null";
    return std::string(tok);
  }
};

}  // namespace

std::string strip_json_nulls(std::string_view json) {
  Stripper st{json};
  bool is_null = false;
  return st.value(&is_null);
}

}  // namespace kiln::hcldec
