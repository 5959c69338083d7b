// Entry points to parse files of either syntax into the information model.
#pragma once

#include <string>

#include "hcl/body.h"

namespace kiln::hcl {

// Native syntax (.hcl, .pkr.hcl). Implemented in parser.cc.
File parse_native_file(std::string bytes, std::string filename, Diagnostics& diags);
// JSON syntax (.json, .pkr.json). Implemented in json_parser.cc.
File parse_json_file(std::string bytes, std::string filename, Diagnostics& diags);
// By file name: names ending in ".json" are JSON, the rest native.
File parse_file(std::string bytes, std::string filename, Diagnostics& diags);

}  // namespace kiln::hcl
