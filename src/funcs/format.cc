// format() and formatlist(): go-cty's printf-like verbs, with Go's fmt
// rendering of big numbers.
#include <fmt/format.h>
#include <gmp.h>
#include <mpfr.h>

#include <cstring>

#include "funcs/common.h"

namespace kiln::funcs {

namespace {

struct Verb {
  std::string raw;
  size_t offset = 0;
  int64_t arg_num = 0;
  char mode = 0;
  bool zero = false, sharp = false, plus = false, minus = false, space = false;
  bool has_prec = false, has_width = false;
  int64_t prec = -1, width = -1;
};

std::string pad_width(const Verb& v, std::string s) {
  if (v.width < 0) return s;
  int64_t given = static_cast<int64_t>(grapheme_count(s));
  if (given >= v.width) return s;
  std::string pads(static_cast<size_t>(v.width - given), v.zero ? '0' : ' ');
  return v.minus ? s + pads : pads + s;
}

// Go's fmt padding for a number already rendered as sign + body: width
// with spaces (left or right) or zeros after the sign.
std::string go_pad_number(const Verb& v, std::string sign, std::string body, bool zero_ok) {
  std::string s = sign + body;
  if (v.width < 0 || static_cast<int64_t>(s.size()) >= v.width) return s;
  size_t n = static_cast<size_t>(v.width) - s.size();
  if (v.minus) return s + std::string(n, ' ');
  if (v.zero && zero_ok) return sign + std::string(n, '0') + body;
  return std::string(n, ' ') + s;
}

struct MpfrHolder {
  mpfr_t x;
  explicit MpfrHolder(const Number& n) {
    // str() is the shortest decimal that reads back as the number at its
    // own precision, so reading it at that precision gives back exactly the
    // binary value cty formats (1.005 is a little below 1.005 at 512 bits).
    mpfr_init2(x, static_cast<mpfr_prec_t>(n.precision() < 2 ? 64 : n.precision()));
    std::string s = n.str();
    mpfr_set_str(x, s.c_str(), 10, MPFR_RNDN);
  }
  ~MpfrHolder() { mpfr_clear(x); }
};

// Digits and decimal exponent of the shortest representation (Number::str
// without sign): value = 0.d1d2d3... * 10^exp.
void shortest_digits(const Number& n, std::string* digits, int64_t* exp) {
  std::string s = n.str();
  if (!s.empty() && s[0] == '-') s.erase(0, 1);
  size_t dot = s.find('.');
  std::string intpart = dot == std::string::npos ? s : s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  std::string all = intpart + frac;
  int64_t e = static_cast<int64_t>(intpart.size());
  size_t lead = 0;
  while (lead < all.size() && all[lead] == '0') ++lead;
  all.erase(0, lead);
  e -= static_cast<int64_t>(lead);
  while (!all.empty() && all.back() == '0') all.pop_back();
  if (all.empty()) e = 0;
  *digits = all;
  *exp = e;
}

std::string exp_suffix(char ech, int64_t e) {
  std::string out(1, ech);
  out += e < 0 ? '-' : '+';
  if (e < 0) e = -e;
  std::string d = std::to_string(e);
  if (d.size() < 2) d = "0" + d;
  return out + d;
}

// %e with a digit string (shortest) and an exponent.
std::string format_e_digits(const std::string& digits, int64_t exp, char ech) {
  std::string d = digits.empty() ? "0" : digits;
  std::string out(1, d[0]);
  if (d.size() > 1) out += "." + d.substr(1);
  int64_t e = digits.empty() ? 0 : exp - 1;
  return out + exp_suffix(ech, e);
}

std::string format_f_digits(const std::string& digits, int64_t exp) {
  if (digits.empty()) return "0";
  std::string out;
  if (exp <= 0) {
    out = "0." + std::string(static_cast<size_t>(-exp), '0') + digits;
  } else if (exp >= static_cast<int64_t>(digits.size())) {
    out = digits + std::string(static_cast<size_t>(exp) - digits.size(), '0');
  } else {
    out =
        digits.substr(0, static_cast<size_t>(exp)) + "." + digits.substr(static_cast<size_t>(exp));
  }
  return out;
}

// big.Float's Format for e, E, f, g, G (the magnitude only).
std::string format_float_body(const Verb& v, const Number& absn) {
  if (absn.is_inf()) return "Inf";
  char mode = v.mode;
  int64_t prec = v.has_prec ? v.prec : 6;
  if (mode == 'g' || mode == 'G') {
    if (!v.has_prec) prec = -1;
  }
  MpfrHolder h(absn);
  auto with_mpfr = [&](char conv, int64_t p) {
    std::string f = fmt::format("%.{}R{}", p, conv);
    char* buf = nullptr;
    mpfr_asprintf(&buf, f.c_str(), h.x);
    std::string out(buf);
    mpfr_free_str(buf);
    return out;
  };
  auto fix_exp = [](std::string s) {
    // MPFR prints at least two exponent digits as C does: e+05; Go too.
    return s;
  };
  switch (mode) {
    case 'e':
    case 'E':
      return fix_exp(with_mpfr(mode, prec));
    case 'f':
      return with_mpfr('f', prec);
    default: {
      char ech = mode == 'G' ? 'E' : 'e';
      std::string digits;
      int64_t exp;
      if (prec < 0) {
        shortest_digits(absn, &digits, &exp);
      } else {
        int64_t p = prec == 0 ? 1 : prec;
        // Round to p significant digits via %e.
        std::string e = with_mpfr('e', p - 1);
        size_t epos = e.find('e');
        std::string mant = e.substr(0, epos);
        int64_t ex = std::stoll(e.substr(epos + 1));
        mant.erase(std::remove(mant.begin(), mant.end(), '.'), mant.end());
        while (!mant.empty() && mant.back() == '0') mant.pop_back();
        if (mant == "" || mant == "0") {
          digits.clear();
          exp = 0;
        } else {
          digits = mant;
          exp = ex + 1;
        }
      }
      int64_t eprec = prec;
      bool shortest = prec < 0;
      if (eprec > static_cast<int64_t>(digits.size()) &&
          static_cast<int64_t>(digits.size()) >= exp) {
        eprec = static_cast<int64_t>(digits.size());
      }
      if (shortest) eprec = 6;
      int64_t e = exp - 1;
      if (digits.empty()) e = 0;
      if (e < -4 || e >= eprec) {
        return format_e_digits(digits, exp, ech);
      }
      return format_f_digits(digits, digits.empty() ? 1 : exp);
    }
  }
}

std::optional<std::string> format_number(const Verb& v, const Value& arg, std::string* err) {
  std::string cerr;
  auto n = hcl::convert(arg, Type::number(), &cerr);
  if (!n) {
    *err = fmt::format("unsupported value for {} at {}: {}", go_quote(v.raw), v.offset, cerr);
    return std::nullopt;
  }
  const Number& num = n->as_number();
  bool neg = num.is_negative();
  Number absn = neg ? -num : num;
  std::string sign = neg ? "-" : (v.plus ? "+" : (v.space ? " " : ""));
  switch (v.mode) {
    case 'b':
      [[fallthrough]];
    case 'd':
    case 'o':
    case 'x':
    case 'X': {
      if (num.is_zero() && neg) sign = v.plus ? "+" : (v.space ? " " : "");  // big.Int has no -0
      if (!num.is_integer() || num.is_inf()) {
        *err = fmt::format("unsupported value for {} at {}: an integer is required",
                           go_quote(v.raw), v.offset);
        return std::nullopt;
      }
      std::string dec = absn.str();
      mpz_t z;
      mpz_init_set_str(z, dec.c_str(), 10);
      int base = v.mode == 'b' ? 2 : v.mode == 'o' ? 8 : v.mode == 'd' ? 10 : 16;
      char* s = mpz_get_str(nullptr, base, z);
      std::string body(s);
      void (*freefn)(void*, size_t);
      mp_get_memory_functions(nullptr, nullptr, &freefn);
      freefn(s, std::strlen(s) + 1);
      mpz_clear(z);
      if (v.mode == 'X') {
        for (auto& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      // Precision: minimum digits (a zero value with precision 0 prints
      // nothing).
      if (v.has_prec) {
        if (v.prec == 0 && body == "0") body.clear();
        if (static_cast<int64_t>(body.size()) < v.prec) {
          body = std::string(static_cast<size_t>(v.prec) - body.size(), '0') + body;
        }
      }
      std::string prefix;
      if (v.sharp) {
        if (v.mode == 'b') prefix = "0b";
        if (v.mode == 'o') prefix = "0";
        if (v.mode == 'x') prefix = "0x";
        if (v.mode == 'X') prefix = "0X";
      }
      return go_pad_number(v, sign + prefix, body, !v.has_prec);
    }
    default: {
      std::string body = format_float_body(v, absn);
      if (absn.is_inf()) {
        if (!neg && !v.plus && !v.space) sign = "+";  // big.Float prints +Inf
        return go_pad_number(v, sign, body, false);
      }
      return go_pad_number(v, sign, body, true);
    }
  }
}

std::optional<std::string> format_one(const Verb& v, const std::vector<Value>& args,
                                      std::string* err) {
  size_t idx = static_cast<size_t>(v.arg_num - 1);
  if (v.arg_num < 1 || idx >= args.size()) {
    *err = fmt::format("not enough arguments for {} at {}: need index {} but have {} total",
                       go_quote(v.raw), v.offset, v.arg_num, args.size());
    return std::nullopt;
  }
  const Value& arg = args[idx];
  if (v.mode != 'v' && arg.is_null()) {
    *err = fmt::format("unsupported value for {} at {}: null value cannot be formatted",
                       go_quote(v.raw), v.offset);
    return std::nullopt;
  }
  switch (v.mode) {
    case 'v': {
      if (!v.sharp && !arg.is_null()) {
        if (arg.type() == Type::string()) return pad_width(v, arg.as_string());
        if (arg.type() == Type::number()) {
          Verb g = v;
          g.mode = 'g';
          g.has_prec = false;
          const Number& n = arg.as_number();
          bool neg = n.is_negative();
          std::string body = format_float_body(g, neg ? -n : n);
          if (n.is_inf()) return pad_width(v, (neg ? "-" : "+") + body);
          return pad_width(v, (neg ? "-" : "") + body);
        }
      }
      std::string jerr;
      auto j = hcl::value_to_json(arg, &jerr);
      if (!j) {
        *err = fmt::format("unsupported value for {} at {}: {}", go_quote(v.raw), v.offset, jerr);
        return std::nullopt;
      }
      return pad_width(v, *j);
    }
    case 't': {
      std::string cerr;
      auto b = hcl::convert(arg, Type::boolean(), &cerr);
      if (!b) {
        *err = fmt::format("unsupported value for {} at {}: {}", go_quote(v.raw), v.offset, cerr);
        return std::nullopt;
      }
      return std::string(b->as_bool() ? "true" : "false");
    }
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G':
      return format_number(v, arg, err);
    case 's':
    case 'q': {
      std::string cerr;
      auto s = hcl::convert(arg, Type::string(), &cerr);
      if (!s) {
        *err = fmt::format("unsupported value for {} at {}: {}", go_quote(v.raw), v.offset, cerr);
        return std::nullopt;
      }
      std::string str = s->as_string();
      if (v.prec > 0) {
        auto b = grapheme_bounds(str);
        size_t k = std::min(static_cast<size_t>(v.prec), b.size() - 1);
        str.resize(b[k]);
      }
      if (v.mode == 'q') str = hcl::value_to_json(Value::string(str));
      return pad_width(v, str);
    }
    default: {
      std::string m(1, v.mode);
      *err = fmt::format("unsupported format verb {} in {} at offset {}", "'" + m + "'",
                         go_quote(v.raw), v.offset);
      return std::nullopt;
    }
  }
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string go_rune_quote(std::string_view s, size_t p) {
  size_t i = p;
  char32_t r = decode_rune(s, i);
  std::string out = "'";
  if (r == '\'') {
    out += "\\'";
  } else if (r == '\\') {
    out += "\\\\";
  } else {
    std::string q = go_quote(s.substr(p, i - p));
    std::string inner = q.substr(1, q.size() - 2);
    if (inner == "\\\"") inner = "\"";
    out += inner;
  }
  return out + "'";
}

}  // namespace

// cty's formatFSM: the format string's grammar is
//   '%%' | '%' flags* width? ('.' digits*)? ('[' [1-9][0-9]* ']')? letter
// (with the argument index also allowed straight after the flags).
bool format_string(const std::string& f, const std::vector<Value>& args, std::string* out,
                   FunctionError* ferr) {
  std::string result;
  int64_t next_arg = 1;
  int64_t highest = 0;
  size_t p = 0;
  const size_t n = f.size();
  auto error = [&](std::string msg, int idx = -1) {
    ferr->message = std::move(msg);
    ferr->arg_index = idx;
    return false;
  };
  while (p < n) {
    char c = f[p];
    if (c != '%') {
      result += c;
      ++p;
      continue;
    }
    size_t ts = p;
    ++p;
    if (p >= n) return error(fmt::format("invalid format string starting at offset {}", p));
    if (f[p] == '%') {
      result += '%';
      ++p;
      continue;
    }
    Verb v;
    v.arg_num = next_arg;
    // flags
    while (p < n) {
      char fc = f[p];
      if (fc == '#')
        v.sharp = true;
      else if (fc == '0')
        v.zero = true;
      else if (fc == '-')
        v.minus = true;
      else if (fc == '+')
        v.plus = true;
      else if (fc == ' ')
        v.space = true;
      else
        break;
      ++p;
    }
    auto parse_index = [&]() -> bool {
      // at '['
      ++p;
      if (p >= n) return error(fmt::format("invalid format string starting at offset {}", p));
      if (!(f[p] >= '1' && f[p] <= '9')) {
        return error(
            fmt::format("unrecognized format character {} at offset {}", go_rune_quote(f, p), p));
      }
      v.arg_num = 0;
      while (p < n && is_digit(f[p])) {
        if (v.arg_num < 100000000) v.arg_num = v.arg_num * 10 + (f[p] - '0');
        ++p;
      }
      if (p >= n) return error(fmt::format("invalid format string starting at offset {}", p));
      if (f[p] != ']') {
        return error(
            fmt::format("unrecognized format character {} at offset {}", go_rune_quote(f, p), p));
      }
      ++p;
      return true;
    };
    bool indexed = false;
    if (p < n && f[p] == '[') {
      if (!parse_index()) return false;
      indexed = true;
    }
    if (!indexed) {
      if (p < n && is_digit(f[p])) {
        v.has_width = true;
        v.width = 0;
        while (p < n && is_digit(f[p])) {
          if (v.width < 100000000) v.width = v.width * 10 + (f[p] - '0');
          ++p;
        }
      }
      if (p < n && f[p] == '.') {
        v.has_prec = true;
        v.prec = 0;
        ++p;
        while (p < n && is_digit(f[p])) {
          if (v.prec < 100000000) v.prec = v.prec * 10 + (f[p] - '0');
          ++p;
        }
      }
      if (p < n && f[p] == '[') {
        if (!parse_index()) return false;
      }
    }
    if (p >= n) return error(fmt::format("invalid format string starting at offset {}", p));
    if (!is_alpha(f[p])) {
      return error(
          fmt::format("unrecognized format character {} at offset {}", go_rune_quote(f, p), p));
    }
    v.mode = f[p];
    ++p;
    v.raw = f.substr(ts, p - ts);
    v.offset = ts;
    if (!v.has_width) v.width = -1;
    if (!v.has_prec) v.prec = -1;
    // Go's fmt refuses widths and precisions above a million; so does kiln
    // rather than trying to allocate them.
    if (v.width > 1000000 || v.prec > 1000000) {
      return error(fmt::format("unsupported format width or precision in {} at offset {}",
                               go_quote(v.raw), v.offset));
    }
    if (v.arg_num > highest) highest = v.arg_num;
    std::string err;
    auto piece = format_one(v, args, &err);
    if (!piece) return error(err);
    result += *piece;
    next_arg = v.arg_num + 1;
  }
  if (highest < static_cast<int64_t>(args.size())) {
    int first_bad = static_cast<int>(highest + 1);
    if (highest == 0) return error("too many arguments; no verbs in format string", first_bad);
    return error(fmt::format("too many arguments; only {} used by format string", highest),
                 first_bad);
  }
  *out = std::move(result);
  return true;
}

void register_format(FuncMap& m) {
  m["format"] =
      make_function({param("format", Type::string())},
                    param("args", Type::dynamic(), kNull | kUnknown), static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      for (size_t i = 1; i < a.size(); ++i) {
                        if (!a[i].is_wholly_known()) return Value::unknown(Type::string());
                      }
                      std::vector<Value> rest(a.begin() + 1, a.end());
                      std::string out;
                      FunctionError fe;
                      if (!format_string(a[0].as_string(), rest, &out, &fe)) {
                        if (err) *err = fe;
                        return std::nullopt;
                      }
                      return Value::string(std::move(out));
                    });

  m["formatlist"] = make_function(
      {param("format", Type::string())}, param("args", Type::dynamic(), kNull | kUnknown),
      static_type(Type::list(Type::string())),
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        const std::string& f = a[0].as_string();
        std::vector<Value> args(a.begin() + 1, a.end());
        if (args.empty()) {
          std::string out;
          FunctionError fe;
          if (!format_string(f, args, &out, &fe)) {
            if (err) *err = fe;
            return std::nullopt;
          }
          return Value::list({Value::string(std::move(out))});
        }
        int64_t iter_len = -1;
        size_t chooser = 0;
        std::vector<const std::vector<Value>*> iters(args.size(), nullptr);
        std::vector<std::vector<Value>> owned(args.size());
        bool unknown = false;
        for (size_t i = 0; i < args.size(); ++i) {
          const Value& arg = args[i];
          const Type& t = arg.type();
          if ((t.is_list() || t.is_set() || t.is_tuple()) && !arg.is_null()) {
            if (!t.is_tuple() && !arg.is_known()) {
              unknown = true;
              continue;
            }
            int64_t this_len = t.is_tuple() ? static_cast<int64_t>(t.tuple_element_types().size())
                                            : static_cast<int64_t>(arg.length());
            if (iter_len == -1) {
              iter_len = this_len;
              chooser = i;
            } else if (this_len != iter_len) {
              return fail(err,
                          fmt::format("argument {} has length {}, which is inconsistent with "
                                      "argument {} of length {}",
                                      i + 1, this_len, chooser + 1, iter_len),
                          static_cast<int>(i + 1));
            }
            if (!arg.is_known()) {
              unknown = true;
              continue;
            }
            owned[i] = arg.elements();
            iters[i] = &owned[i];
          } else if (t.is_dynamic() && !arg.is_known()) {
            unknown = true;
          }
        }
        if (unknown) return Value::unknown(ret);
        if (iter_len == 0) return Value::list_empty(Type::string());
        if (iter_len == -1) iter_len = 1;
        std::vector<Value> out;
        for (int64_t k = 0; k < iter_len; ++k) {
          std::vector<Value> fargs(args.size());
          bool unk = false;
          for (size_t i = 0; i < args.size(); ++i) {
            fargs[i] = iters[i] ? (*iters[i])[static_cast<size_t>(k)] : args[i];
            if (!fargs[i].is_wholly_known()) {
              unk = true;
              break;
            }
          }
          if (unk) {
            out.push_back(Value::unknown(Type::string()));
            continue;
          }
          std::string s;
          FunctionError fe;
          if (!format_string(f, fargs, &s, &fe)) {
            return fail(err, fmt::format("error on format iteration {}: {}", k, fe.message));
          }
          out.push_back(Value::string(std::move(s)));
        }
        return Value::list(std::move(out));
      });
}

}  // namespace kiln::funcs
