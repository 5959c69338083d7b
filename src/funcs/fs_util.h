// Go path/filepath helpers shared by the filesystem functions and
// templatefile.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiln::funcs {

std::string go_clean(std::string_view path);
std::string go_join(std::string_view a, std::string_view b);
std::string go_base(std::string_view path);
std::string go_dir(std::string_view path);
bool go_is_abs(std::string_view path);
// file()'s reading: "~" expanded, relative paths against base_dir; errors
// worded as go-cty-funcs words them ("no file exists at ...").
std::optional<std::string> read_file_bytes(const std::string& base_dir, const std::string& path,
                                           const std::string& home, std::string* err);

}  // namespace kiln::funcs
