// Source positions and ranges, as HCL defines them: line and column count
// from 1 (columns in grapheme clusters, as hcl.Pos does), byte from 0.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kiln::hcl {

struct Pos {
  int line = 1;
  int column = 1;
  size_t byte = 0;

  bool operator==(const Pos&) const = default;
};

// Filenames are interned: a Range holds a view into storage that lives for
// the whole process, so ranges are cheap to copy.
std::string_view intern_filename(std::string_view name);

struct Range {
  std::string_view filename;
  Pos start;
  Pos end;

  bool operator==(const Range&) const = default;
  bool empty() const { return start.byte == end.byte; }
  // The smallest range that covers both (same file assumed).
  static Range between(const Range& a, const Range& b);
  // "file:line,col-col" / "file:line,col-line,col", as hcl.Range.String().
  std::string str() const;
};

}  // namespace kiln::hcl
