// Pagination of list responses (hcloud-api.md section 2): `page` from 1,
// `per_page` default 25, clamped to 1..50; meta.pagination with null
// previous/next on the first/last page.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::local {

struct PageRequest {
  long page = 1;
  long per_page = 25;
};

// nullopt with *error set when page or per_page is not a positive integer.
std::optional<PageRequest> parse_page_request(const std::optional<std::string>& page,
                                              const std::optional<std::string>& per_page,
                                              std::string* error);

struct Paged {
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json pagination;  // the object for meta.pagination
};

Paged paginate(const std::vector<nlohmann::json>& all, const PageRequest& req);

}  // namespace kiln::local
