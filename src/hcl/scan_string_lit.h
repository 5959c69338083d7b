// Decoding of the literal parts of templates, as hclsyntax's
// scanStringLit and ParseStringLiteralToken do.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hcl/diagnostic.h"
#include "hcl/quote.h"
#include "hcl/token.h"

namespace kiln::hcl {

// Splits the bytes of a QuotedLit (quoted = true) or StringLit token into
// the slices hclsyntax's scanStringLit produces: runs of literal text, and
// separately each escape ("\n", "\u00e9", "\" alone, ...), each "$", "$$",
// "$${" (and "%" forms) and each newline ("\r\n", "\r", "\n").
std::vector<std::string_view> scan_string_lit(std::string_view bytes, bool quoted);

// Appends to out the string that the literal bytes stand for, resolving
// escapes (\n \r \t \" \\ \uNNNN \UNNNNNNNN when quoted; $${ and %%{ in both
// modes), and appends an "Invalid escape sequence" error to diags for each
// bad escape, with the range of that escape within `range` (the range of
// the token whose bytes these are). Returns false if it reported an error.
bool decode_string_lit(std::string_view bytes, const Range& range, bool quoted, std::string& out,
                       Diagnostics& diags);

// The same for a QuotedLit or StringLit token (ParseStringLiteralToken).
std::string decode_string_lit(const Token& tok, Diagnostics& diags);

// go_quote_string (Go's %q) lives in hcl/quote.h.

}  // namespace kiln::hcl
