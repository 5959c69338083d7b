// The function table and the helpers shared by the category files.
#include "funcs/registry.h"

#include <utf8proc.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "funcs/common.h"
#include "hcl/quote.h"

namespace kiln::funcs {

std::optional<int64_t> to_int(const Value& v, std::string* error) {
  const Number& n = v.as_number();
  auto i = n.is_integer() ? n.to_int64() : std::nullopt;
  if (!i) {
    if (error) {
      *error =
          "value must be a whole number, between -9223372036854775808 and "
          "9223372036854775807";
    }
    return std::nullopt;
  }
  return i;
}

double to_float(const Value& v) {
  return v.as_number().to_double();
}

Value list_or_empty(std::vector<Value> elems, const Type& ety) {
  if (elems.empty()) return Value::list_empty(ety);
  return Value::list(std::move(elems));
}

Value map_or_empty(std::map<std::string, Value> elems, const Type& ety) {
  if (elems.empty()) return Value::map_empty(ety);
  return Value::map(std::move(elems));
}

std::vector<Value> element_values(const Value& v) {
  const Type& t = v.type();
  if (t.is_map() || t.is_object()) {
    std::vector<Value> out;
    out.reserve(v.attributes().size());
    for (const auto& [k, e] : v.attributes()) out.push_back(e);
    return out;
  }
  return v.elements();
}

char32_t decode_rune(std::string_view s, size_t& i) {
  utf8proc_int32_t cp = -1;
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                        static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0 || cp < 0) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<size_t>(n);
  return static_cast<char32_t>(cp);
}

void append_rune(std::string& out, char32_t r) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(r), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

std::vector<size_t> grapheme_bounds(std::string_view s) {
  std::vector<size_t> out;
  size_t i = 0;
  utf8proc_int32_t prev = -1, state = 0;
  while (i < s.size()) {
    size_t start = i;
    char32_t cp = decode_rune(s, i);
    if (prev < 0 ||
        utf8proc_grapheme_break_stateful(prev, static_cast<utf8proc_int32_t>(cp), &state)) {
      out.push_back(start);
    }
    prev = static_cast<utf8proc_int32_t>(cp);
  }
  out.push_back(s.size());
  return out;
}

size_t grapheme_count(std::string_view s) {
  if (s.empty()) return 0;
  return grapheme_bounds(s).size() - 1;
}

bool is_go_space(char32_t r) {
  switch (r) {
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
      return r >= 0x2000 && r <= 0x200A;
  }
}

std::string go_quote(std::string_view s) {
  return ::kiln::hcl::go_quote_string(s);
}

std::map<std::string, Function> packer_functions(const FuncsOptions& opts) {
  FuncMap m;
  register_numeric(m);
  register_string(m);
  register_format(m);
  register_collection(m);
  register_encoding(m);
  register_yaml(m);
  register_regex(m);
  register_filesystem(m, opts);
  register_datetime(m, opts);
  register_crypto(m);
  register_network(m);
  register_conversion(m);
  register_external(m);
  register_templatefile(m, opts);
  if (opts.allow_env) {
    auto env = env_functions();
    m.insert(env.begin(), env.end());
  }
  return m;
}

std::map<std::string, Function> env_functions() {
  FuncMap m;
  m["env"] = make_function(
      {param("key", Type::string())}, std::nullopt, static_type(Type::string()),
      [](const Args& args, const Type&, FunctionError*) -> std::optional<Value> {
        const char* v = std::getenv(args[0].as_string().c_str());
        return Value::string(v ? v : "");
      },
      "Returns the value of the given environment variable, or \"\" when it is unset.");
  return m;
}

}  // namespace kiln::funcs
