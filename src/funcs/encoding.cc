// Encoding functions: base64encode/decode, base64gzip, csvdecode,
// jsonencode/decode, textencodebase64/textdecodebase64, urlencode.
// yamldecode/yamlencode are in yaml.cc.
#include <fmt/format.h>
#include <iconv.h>
#include <utf8proc.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "funcs/common.h"

namespace kiln::funcs {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string b64encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Go's base64.StdEncoding.DecodeString: strict padding, '\r' and '\n'
// ignored. On failure *bad_offset is the CorruptInputError offset.
std::optional<std::string> b64decode(std::string_view in, size_t* bad_offset) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  size_t si = 0;
  const size_t n = in.size();
  while (true) {
    // gather a quantum of up to 4 symbols
    int dbuf[4] = {0, 0, 0, 0};
    size_t dlen = 4;
    size_t j = 0;
    bool done = false;
    for (; j < 4;) {
      if (si == n) {
        if (j == 0) return out;
        if (j == 1) {
          *bad_offset = si - j;
          return std::nullopt;
        }
        // missing padding
        *bad_offset = si - j;
        return std::nullopt;
      }
      char c = in[si];
      ++si;
      if (c == '\n' || c == '\r') continue;
      int v = val(c);
      if (v >= 0) {
        dbuf[j++] = v;
        continue;
      }
      if (c != '=') {
        *bad_offset = si - 1;
        return std::nullopt;
      }
      // padding
      switch (j) {
        case 0:
        case 1:
          *bad_offset = si - 1;
          return std::nullopt;
        case 2: {
          // skip newlines, expect a second '='
          while (si < n && (in[si] == '\n' || in[si] == '\r')) ++si;
          if (si == n) {
            *bad_offset = n;
            return std::nullopt;
          }
          if (in[si] != '=') {
            *bad_offset = si - 1;
            return std::nullopt;
          }
          ++si;
          break;
        }
        default:
          break;
      }
      while (si < n && (in[si] == '\n' || in[si] == '\r')) ++si;
      if (si < n) {
        *bad_offset = si;
        return std::nullopt;
      }
      dlen = j;
      done = true;
      break;
    }
    uint32_t v = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
    char b0 = char(v >> 16), b1 = char((v >> 8) & 0xff), b2 = char(v & 0xff);
    switch (dlen) {
      case 4:
        out += b0;
        out += b1;
        out += b2;
        break;
      case 3:
        out += b0;
        out += b1;
        break;
      case 2:
        out += b0;
        break;
    }
    if (done) return out;
  }
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return false;
    i += static_cast<size_t>(n);
  }
  return true;
}

std::string url_query_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::optional<std::string> gzip_bytes(std::string_view in, std::string* err) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    *err = "failed to write gzip raw data";
    return std::nullopt;
  }
  gz_header hdr{};
  hdr.os = 255;  // as Go's gzip.Writer: unknown OS, zero mtime
  deflateSetHeader(&zs, &hdr);
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())) + 64);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_SYNC_FLUSH);  // Go's Writer.Flush before Close
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// --- Go's encoding/csv reader (no lazy quotes, comma separator) -------------

struct CsvReader {
  explicit CsvReader(std::string_view src) : s(src) {}
  std::string_view s;
  size_t pos = 0;
  int line = 0;
  int err_line = 0;
  std::string err_kind;

  // Reads one physical line including its newline; normalises \r\n to \n.
  bool read_line(std::string* out) {
    if (pos >= s.size()) return false;
    size_t nl = s.find('\n', pos);
    std::string l;
    if (nl == std::string_view::npos) {
      l = std::string(s.substr(pos));
      pos = s.size();
      // Go adds a trailing newline to a final line without one.
      if (!l.empty() && l.back() == '\r') l.pop_back();
      l += '\n';
    } else {
      l = std::string(s.substr(pos, nl - pos + 1));
      pos = nl + 1;
      if (l.size() >= 2 && l[l.size() - 2] == '\r') {
        l.erase(l.size() - 2, 1);
      }
    }
    ++line;
    *out = std::move(l);
    return true;
  }

  // One record; nullopt at EOF or error (err_kind set on error).
  std::optional<std::vector<std::string>> read() {
    std::string l;
    // skip empty lines
    while (true) {
      if (!read_line(&l)) return std::nullopt;
      if (l != "\n") break;
    }
    int rec_line = line;
    std::vector<std::string> fields;
    std::string_view rest = l;
    std::string cur_line_buf = l;
    while (true) {
      if (rest.empty() || rest[0] != '"') {
        // non-quoted field
        size_t i = rest.find(',');
        std::string_view field = i == std::string_view::npos ? rest : rest.substr(0, i);
        if (i == std::string_view::npos) field = field.substr(0, field.size() - 1);  // newline
        if (field.find('"') != std::string_view::npos) {
          err_kind = "bare \" in non-quoted-field";
          err_line = line;
          return std::nullopt;
        }
        fields.emplace_back(field);
        if (i != std::string_view::npos) {
          rest = rest.substr(i + 1);
          continue;
        }
        break;
      }
      // quoted field
      rest = rest.substr(1);
      std::string field;
      bool field_done = false, rec_done = false;
      while (!field_done) {
        size_t q = rest.find('"');
        if (q != std::string_view::npos) {
          field.append(rest.substr(0, q));
          rest = rest.substr(q + 1);
          if (!rest.empty() && rest[0] == '"') {
            field += '"';
            rest = rest.substr(1);
          } else if (!rest.empty() && rest[0] == ',') {
            rest = rest.substr(1);
            field_done = true;
          } else if (rest == "\n" || rest.empty()) {
            field_done = true;
            rec_done = true;
          } else {
            err_kind = "extraneous or missing \" in quoted-field";
            err_line = line;
            return std::nullopt;
          }
        } else if (!rest.empty()) {
          field.append(rest);
          if (!read_line(&cur_line_buf)) {
            err_kind = "extraneous or missing \" in quoted-field";
            err_line = line;
            return std::nullopt;
          }
          rest = cur_line_buf;
        } else {
          err_kind = "extraneous or missing \" in quoted-field";
          err_line = line;
          return std::nullopt;
        }
      }
      fields.push_back(std::move(field));
      if (rec_done) break;
    }
    (void)rec_line;
    last_rec_line = rec_line;
    return fields;
  }
  int last_rec_line = 0;
};

std::optional<Type> csv_type(const std::string& str, FunctionError* err) {
  CsvReader r(str);
  auto headers = r.read();
  if (!headers) {
    if (r.err_kind.empty()) return fail(err, "missing header line");
    return fail(err, fmt::format("CSV parse error on line {}: {}", r.err_line, r.err_kind));
  }
  std::map<std::string, Type> atys;
  for (const auto& h : *headers) {
    if (atys.count(h)) return fail(err, "duplicate column name " + go_quote(h));
    atys[h] = Type::string();
  }
  return Type::list(Type::object(std::move(atys)));
}

// --- IANA encodings through iconv ---------------------------------------------

struct Encoding {
  const char* iana;   // the canonical IANA name (ianaindex.IANA.Name)
  const char* iconv;  // glibc iconv name
  std::vector<const char*> aliases;
};

const std::vector<Encoding>& encodings() {
  static const std::vector<Encoding> k =
#include "funcs/iana_encodings.inc"
      ;
  return k;
}

const Encoding* find_encoding(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& e : encodings()) {
    for (const char* a : e.aliases) {
      if (name == a) return &e;
    }
  }
  return nullptr;
}

// Converts with iconv; false when a character cannot be converted.
bool iconv_convert(const char* to, const char* from, std::string_view in, std::string* out) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out->clear();
  std::string buf(in.size() * 4 + 16, '\0');
  char* inp = const_cast<char*>(in.data());
  size_t inleft = in.size();
  bool ok = true;
  while (inleft > 0) {
    char* outp = buf.data();
    size_t outleft = buf.size();
    size_t r = iconv(cd, &inp, &inleft, &outp, &outleft);
    out->append(buf.data(), buf.size() - outleft);
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      ok = false;
      break;
    }
  }
  if (ok) {
    char* outp = buf.data();
    size_t outleft = buf.size();
    iconv(cd, nullptr, nullptr, &outp, &outleft);
    out->append(buf.data(), buf.size() - outleft);
  }
  iconv_close(cd);
  return ok;
}

}  // namespace

std::optional<std::string> go_base64_decode(std::string_view in) {
  size_t bad = 0;
  return b64decode(in, &bad);
}

void register_encoding(FuncMap& m) {
  m["base64encode"] =
      make_function({param("str", Type::string())}, std::nullopt, static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
                      return Value::string(b64encode(a[0].as_string()));
                    });
  m["base64decode"] = make_function(
      {param("str", Type::string())}, std::nullopt, static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const std::string& s = a[0].as_string();
        size_t bad = 0;
        auto d = b64decode(s, &bad);
        if (!d) return fail(err, "failed to decode base64 data '" + s + "'");
        if (!valid_utf8(*d)) {
          return fail(err, "the result of decoding the the provided string is not valid UTF-8");
        }
        return Value::string(std::move(*d));
      });
  m["base64gzip"] =
      make_function({param("str", Type::string())}, std::nullopt, static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      std::string e;
                      auto gz = gzip_bytes(a[0].as_string(), &e);
                      if (!gz) return fail(err, e);
                      return Value::string(b64encode(*gz));
                    });
  m["urlencode"] =
      make_function({param("str", Type::string())}, std::nullopt, static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
                      return Value::string(url_query_escape(a[0].as_string()));
                    });

  m["jsonencode"] =
      make_function({param("val", Type::dynamic(), kUnknown | kDynamic | kNull)}, std::nullopt,
                    static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      const Value& v = a[0];
                      if (!v.is_wholly_known()) return Value::unknown(Type::string());
                      if (v.is_null()) return Value::string("null");
                      std::string e;
                      auto j = hcl::value_to_json(v, &e);
                      if (!j) return fail(err, e);
                      return Value::string(std::move(*j));
                    });
  m["jsondecode"] = make_function(
      {param("str", Type::string())}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (!a[0].is_known()) return Type::dynamic();
        std::string e;
        auto v = hcl::value_from_json(a[0].as_string(), Type::dynamic(), &e);
        if (!v) return fail(err, e);
        return v->type();
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        std::string e;
        auto v = hcl::value_from_json(a[0].as_string(), ret, &e);
        if (!v) return fail(err, e);
        return v;
      });

  m["csvdecode"] = make_function(
      {param("str", Type::string())}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (!a[0].is_known()) return Type::dynamic();
        return csv_type(a[0].as_string(), err);
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        const Type& ety = ret.element_type();
        size_t ncols = ety.attribute_types().size();
        CsvReader r(a[0].as_string());
        auto headers = r.read();
        if (!headers) return fail(err, "missing header line");
        std::vector<Value> rows;
        while (true) {
          auto cols = r.read();
          if (!cols) {
            if (r.err_kind.empty()) break;
            return fail(err, fmt::format("CSV parse error on line {}: {}", r.err_line, r.err_kind));
          }
          if (cols->size() != ncols) {
            return fail(err, fmt::format("CSV parse error on line {}: wrong number of fields",
                                         r.last_rec_line));
          }
          std::map<std::string, Value> vals;
          for (size_t i = 0; i < cols->size(); ++i) {
            vals[(*headers)[i]] = Value::string((*cols)[i]);
          }
          rows.push_back(Value::object(std::move(vals)));
        }
        return list_or_empty(std::move(rows), ety);
      });

  m["textencodebase64"] = make_function(
      {param("string", Type::string()), param("encoding", Type::string())}, std::nullopt,
      static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const Encoding* enc = find_encoding(a[1].as_string());
        if (!enc) {
          return fail(
              err, go_quote(a[1].as_string()) + " is not a supported IANA encoding name or alias",
              1);
        }
        std::string out;
        if (!iconv_convert(enc->iconv, "UTF-8", a[0].as_string(), &out)) {
          return fail(err,
                      std::string("the given string contains characters that cannot be "
                                  "represented in ") +
                          enc->iana,
                      0);
        }
        if (std::string(enc->iana) == "UTF-16") out = std::string("\xFE\xFF", 2) + out;
        return Value::string(b64encode(out));
      });
  m["textdecodebase64"] = make_function(
      {param("source", Type::string()), param("encoding", Type::string())}, std::nullopt,
      static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const Encoding* enc = find_encoding(a[1].as_string());
        if (!enc) {
          return fail(
              err, go_quote(a[1].as_string()) + " is not a supported IANA encoding name or alias",
              1);
        }
        size_t bad = 0;
        auto raw = b64decode(a[0].as_string(), &bad);
        if (!raw) {
          return fail(
              err, fmt::format("the given value is has an invalid base64 symbol at offset {}", bad),
              0);
        }
        const char* from = enc->iconv;
        std::string_view in = *raw;
        if (std::string(enc->iana) == "UTF-16") {
          if (in.size() >= 2 && uint8_t(in[0]) == 0xFF && uint8_t(in[1]) == 0xFE) {
            from = "UTF-16LE";
            in.remove_prefix(2);
          } else if (in.size() >= 2 && uint8_t(in[0]) == 0xFE && uint8_t(in[1]) == 0xFF) {
            in.remove_prefix(2);
          }
        }
        std::string out;
        bool ok = iconv_convert("UTF-8", from, in, &out);
        if (!ok || out.find("\xEF\xBF\xBD") != std::string::npos || !valid_utf8(out)) {
          return fail(err,
                      std::string("the given string contains symbols that are not defined for ") +
                          enc->iana,
                      0);
        }
        return Value::string(std::move(out));
      });
}

}  // namespace kiln::funcs
