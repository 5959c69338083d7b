// Test support: validates JSON values against the OpenAPI 3.0 schema subset
// the Hetzner Cloud document uses: type, properties, required, enum, items,
// nullable, additionalProperties, oneOf/anyOf/allOf, $ref, pattern,
// minimum/maximum, minLength/maxLength, maxItems.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hcloud::testing {

class OpenApi {
 public:
  explicit OpenApi(nlohmann::json doc) : doc_(std::move(doc)) {}
  // nullopt (and *error set) when the file is missing or not JSON.
  static std::optional<OpenApi> load(const std::string& path, std::string* error);

  // The path template of the document matching a concrete path
  // ("/servers/42/actions/poweron" -> "/servers/{id}/actions/poweron").
  std::optional<std::string> match_path(const std::string& method, const std::string& path) const;
  // The request body schema of an operation, or nullptr when it takes none.
  const nlohmann::json* request_schema(const std::string& method,
                                       const std::string& path_template) const;

  // Whether the operation requires a request body.
  bool body_required(const std::string& method, const std::string& path_template) const;
  // The names of the query parameters the operation documents.
  std::vector<std::string> query_parameters(const std::string& method,
                                            const std::string& path_template) const;
  // #/components/schemas/<name>, or nullptr.
  const nlohmann::json* component(const std::string& name) const;

  struct Options {
    // Treat objects without additionalProperties as closed: a property the
    // document does not name is an error (catches misspelt fields).
    bool closed_objects = true;
    // Report properties marked deprecated (today's API may have removed them).
    bool reject_deprecated = true;
  };
  // Problems found, each "<json pointer>: <what>"; empty when valid.
  std::vector<std::string> validate(const nlohmann::json& value, const nlohmann::json& schema,
                                    Options options) const;
  std::vector<std::string> validate(const nlohmann::json& value,
                                    const nlohmann::json& schema) const {
    return validate(value, schema, Options{});
  }

 private:
  const nlohmann::json& resolve(const nlohmann::json& schema) const;
  void check(const nlohmann::json& v, const nlohmann::json& schema, const std::string& at,
             const Options& o, std::vector<std::string>& out) const;

  nlohmann::json doc_;
};

}  // namespace hcloud::testing
