#include "hcloud/actions.h"

#include <algorithm>

namespace hcloud {

Result<std::optional<Action>> Actions::get(std::int64_t id) {
  return detail::get_by_id(c_, "/actions", id, "action", parse_action);
}

Result<std::vector<Action>> Actions::get_many(const std::vector<std::int64_t>& ids) {
  std::vector<Action> out;
  for (size_t i = 0; i < ids.size(); i += kMaxActionIdsPerRequest) {
    Query q;
    size_t end = std::min(ids.size(), i + kMaxActionIdsPerRequest);
    for (size_t k = i; k < end; ++k) q.add("id", ids[k]);
    auto r = c_.call(Method::kGet, "/actions", q, nullptr, Safety::kIdempotent);
    std::string request = detail::request_name(Method::kGet, "/actions" + q.encode());
    if (!r.ok()) return std::move(r).error();
    const Json& j = r.value();
    if (!j.is_object() || !j.contains("actions") || !j["actions"].is_array())
      return malformed(request, "the answer has no \"actions\" array");
    for (const auto& a : j["actions"]) {
      auto parsed = parse_action(a, request);
      if (!parsed.ok()) return std::move(parsed).error();
      out.push_back(std::move(parsed).value());
    }
  }
  return out;
}

}  // namespace hcloud
