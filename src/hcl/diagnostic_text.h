// Diagnostics as text, as hcl.NewDiagnosticTextWriter writes them (hcldec
// prints this for text diagnostics; Packer prints the same with width 80
// and no colour).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hcl/diagnostic.h"

namespace kiln::hcl {

// "Error: <summary>\n\n  on <file> line <N>[, in <context>]:\n" then each
// source line the subject (and context range) covers as "%4d: <line>\n"
// (the subject in bold underline when color is on), a blank line, then the
// detail word-wrapped to width (0: no wrapping) and "\n\n". files maps a
// filename to its bytes; without the subject's file the snippet reads
// "  (source code not available)". `context` is hcl's context line for the
// subject (the header of the top-level block it lies in, e.g.
// `source "null" "x"`, see native_context_string in scan_context.h); empty
// for none.
//
// expression_values, when given and not empty, are the "with ..." lines hcl
// adds for a diagnostic that carries an expression and its EvalContext: one
// statement per distinct variable of the expression that evaluates without
// error and is known, "<traversal> as <value>" or "<traversal> set to null"
// (see diagnosticTextWriter.traversalStr/valueStr); the renderer sorts them
// and prints "with a,\n     b.\n\n" after the source snippet.
std::string render_diagnostic(const Diagnostic& diag,
                              const std::map<std::string, std::string>* files, unsigned width,
                              bool color, std::string_view context = {},
                              const std::vector<std::string>* expression_values = nullptr);

// The same for a list, concatenated (WriteDiagnostics).
std::string render_diagnostics(const Diagnostics& diags,
                               const std::map<std::string, std::string>* files, unsigned width,
                               bool color);

// Packer's rendering (writeDiags in packer/command): the text writer with
// width 80 and no colour.
std::string render_packer_diagnostic(const Diagnostic& diag,
                                     const std::map<std::string, std::string>* files,
                                     std::string_view context = {});

// go-wordwrap's WrapString, as the text writer uses it for details.
std::string wrap_string(std::string_view s, unsigned limit);

}  // namespace kiln::hcl
