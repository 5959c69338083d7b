// The query string of a request, parsed as Go's url.ParseQuery (the real
// API's) does: pairs split on '&', each on its FIRST '=', '+' is a space,
// %XX escapes decoded. A raw '=' inside a value therefore stays in it, so
// `?label_selector=env=prod` means env=prod (cpp-httplib's own parser
// would cut the value at the second '=').
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace kiln::local {

// query: the part after '?', without it.
std::multimap<std::string, std::string> parse_query(std::string_view query);

}  // namespace kiln::local
