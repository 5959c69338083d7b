// Go's %q quoting (strconv.Quote), which HCL's messages use for names and
// labels: one implementation for every area of the engine.
#pragma once

#include <string>
#include <string_view>

namespace kiln::hcl {

// s in Go's %q quoting: "\"", "\\", \n \t ..., \x.. for invalid bytes and
// small controls, \u/\U for other runes that unicode.IsPrint rejects.
std::string go_quote_string(std::string_view s);

}  // namespace kiln::hcl
