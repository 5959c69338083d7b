// Diagnostics as values (never exceptions across the API), as hcl.Diagnostic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hcl/source.h"

namespace kiln::hcl {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string summary;
  std::string detail;
  // Where the problem is (the subject), and optionally a larger enclosing
  // construct to show for context.
  std::optional<Range> subject;
  std::optional<Range> context;
};

class Diagnostics : public std::vector<Diagnostic> {
 public:
  using std::vector<Diagnostic>::vector;

  bool has_errors() const {
    for (const auto& d : *this)
      if (d.severity == Severity::Error) return true;
    return false;
  }
  void append(const Diagnostics& other) { insert(end(), other.begin(), other.end()); }
  void error(std::string summary, std::string detail, std::optional<Range> subject,
             std::optional<Range> context = std::nullopt) {
    push_back(Diagnostic{Severity::Error, std::move(summary), std::move(detail), subject, context});
  }
  void warning(std::string summary, std::string detail, std::optional<Range> subject,
               std::optional<Range> context = std::nullopt) {
    push_back(
        Diagnostic{Severity::Warning, std::move(summary), std::move(detail), subject, context});
  }
};

}  // namespace kiln::hcl
