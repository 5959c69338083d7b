#include "hcloud/images.h"

#include "hcloud/id_or_name.h"

namespace hcloud {

Result<std::vector<Image>> Images::list(const ImageListOpts& opts) {
  Query q;
  for (const auto& t : opts.types) q.add("type", t);
  for (const auto& s : opts.statuses) q.add("status", s);
  if (!opts.architecture.empty()) q.add("architecture", opts.architecture);
  if (opts.include_deprecated) q.add("include_deprecated", "true");
  if (opts.bound_to) q.add("bound_to", *opts.bound_to);
  return detail::parse_all(c_.list_all("/images", "images", q, opts), parse_image, "GET /images");
}

Result<std::optional<Image>> Images::get(std::int64_t id) {
  return detail::get_by_id(c_, "/images", id, "image", parse_image);
}

Result<std::optional<Image>> Images::get_by_name(const std::string& name,
                                                 const std::string& architecture) {
  Query q;
  q.add("name", name).add("include_deprecated", "true");
  if (!architecture.empty()) q.add("architecture", architecture);
  return detail::get_by_param(c_, "/images", "images", q, parse_image);
}

Result<std::optional<Image>> Images::get_by_id_or_name(const std::string& id_or_name,
                                                       const std::string& architecture) {
  if (auto id = parse_id(id_or_name)) return get(*id);
  return get_by_name(id_or_name, architecture);
}

Result<Image> Images::update(std::int64_t id, const UpdateImageOpts& opts) {
  std::string path = "/images/" + std::to_string(id);
  Json body = Json::object();
  if (opts.description) body["description"] = *opts.description;
  if (opts.labels) body["labels"] = *opts.labels;
  return detail::member(c_.call(Method::kPut, path, {}, &body, Safety::kIdempotent), "image",
                        parse_image, detail::request_name(Method::kPut, path));
}

Status Images::del(std::int64_t id) {
  return detail::delete_by_id(c_, "/images", id);
}

}  // namespace hcloud
