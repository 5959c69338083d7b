#include "hcl/source.h"

#include <mutex>
#include <set>

namespace kiln::hcl {

std::string_view intern_filename(std::string_view name) {
  static std::mutex mu;
  static std::set<std::string, std::less<>> names;
  std::lock_guard<std::mutex> lock(mu);
  auto it = names.find(name);
  if (it == names.end()) it = names.emplace(name).first;
  return *it;
}

Range Range::between(const Range& a, const Range& b) {
  Range r;
  r.filename = a.filename;
  r.start = a.start.byte <= b.start.byte ? a.start : b.start;
  r.end = a.end.byte >= b.end.byte ? a.end : b.end;
  return r;
}

std::string Range::str() const {
  std::string s(filename);
  s += ":" + std::to_string(start.line) + "," + std::to_string(start.column);
  if (start.line == end.line) {
    s += "-" + std::to_string(end.column);
  } else {
    s += "-" + std::to_string(end.line) + "," + std::to_string(end.column);
  }
  return s;
}

}  // namespace kiln::hcl
