// The canonical layout of HCL native syntax, as hclwrite.Format produces it:
// only the spaces between tokens change (indentation, spacing, alignment of
// `=` and of trailing comments); tokens themselves are never altered, and
// syntax errors are tolerated.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "hcl/token.h"

namespace kiln::hcl {

// Formats a whole source file (hclwrite.Format).
std::string format_hcl(std::string_view src);

// Formats an already-scanned token sequence of a source whose first byte is
// at offset 0 (as scan_tokens returns it, usually ending in EOF_). The spaces
// before each token are taken from the gaps between the tokens' byte ranges.
std::string format_tokens(std::span<const Token> tokens);

}  // namespace kiln::hcl
