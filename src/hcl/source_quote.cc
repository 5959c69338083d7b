#include <utf8proc.h>

#include <cstdio>

#include "hcl/quote.h"

namespace kiln::hcl {

std::string go_quote_string(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                          static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (l <= 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
      ++i;
      continue;
    }
    bool printable;
    switch (utf8proc_category(cp)) {
      case UTF8PROC_CATEGORY_ZS:
      case UTF8PROC_CATEGORY_ZL:
      case UTF8PROC_CATEGORY_ZP:
      case UTF8PROC_CATEGORY_CC:
      case UTF8PROC_CATEGORY_CF:
      case UTF8PROC_CATEGORY_CS:
      case UTF8PROC_CATEGORY_CO:
      case UTF8PROC_CATEGORY_CN:
        printable = false;
        break;
      default:
        printable = true;
    }
    if (printable) {
      out.append(s.substr(i, static_cast<size_t>(l)));
    } else {
      std::snprintf(buf, sizeof buf, cp < 0x10000 ? "\\u%04x" : "\\U%08x",
                    static_cast<unsigned>(cp));
      out += buf;
    }
    i += static_cast<size_t>(l);
  }
  out += '"';
  return out;
}

}  // namespace kiln::hcl
