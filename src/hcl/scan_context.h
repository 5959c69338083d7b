// The "context line" hcl's text diagnostic writer shows for native-syntax
// files ("on main.pkr.hcl line 3, in source "null" "x":").
#pragma once

#include <string>
#include <string_view>

namespace kiln::hcl {

// The header of the top-level block of the native-syntax source `src` whose
// range (type name to closing brace) contains the byte offset, as
// hclsyntax's navigation.ContextString gives it: the block type followed by
// each label in Go's %q quoting (`build`, `source "null" "x"`); empty when
// the offset is in no top-level block. Works from the token stream, so it
// needs no parse and tolerates broken files.
std::string native_context_string(std::string_view src, size_t offset);

}  // namespace kiln::hcl
