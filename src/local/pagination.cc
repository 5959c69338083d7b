#include "local/pagination.h"

#include <algorithm>
#include <cctype>

namespace kiln::local {
namespace {

std::optional<long> positive(const std::string& s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  long v = std::stol(s);
  if (v < 1) return std::nullopt;
  return v;
}

}  // namespace

std::optional<PageRequest> parse_page_request(const std::optional<std::string>& page,
                                              const std::optional<std::string>& per_page,
                                              std::string* error) {
  PageRequest r;
  if (page) {
    auto v = positive(*page);
    if (!v) {
      *error = "page";
      return std::nullopt;
    }
    r.page = *v;
  }
  if (per_page) {
    auto v = positive(*per_page);
    if (!v) {
      *error = "per_page";
      return std::nullopt;
    }
    r.per_page = std::min<long>(*v, 50);
  }
  return r;
}

Paged paginate(const std::vector<nlohmann::json>& all, const PageRequest& req) {
  Paged out;
  long total = static_cast<long>(all.size());
  long last = std::max<long>(1, (total + req.per_page - 1) / req.per_page);
  long begin = (req.page - 1) * req.per_page;
  for (long i = begin; i < total && i < begin + req.per_page; ++i) out.items.push_back(all[i]);
  nlohmann::json p;
  p["page"] = req.page;
  p["per_page"] = req.per_page;
  p["previous_page"] = req.page > 1 ? nlohmann::json(std::min(req.page - 1, last)) : nullptr;
  p["next_page"] = req.page < last ? nlohmann::json(req.page + 1) : nullptr;
  p["last_page"] = last;
  p["total_entries"] = total;
  out.pagination = p;
  return out;
}

}  // namespace kiln::local
