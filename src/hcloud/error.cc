#include "hcloud/error.h"

#include <fmt/format.h>

namespace hcloud {

std::string Error::to_string() const {
  std::string out = "hcloud: ";
  if (!request.empty()) out += request + ": ";
  switch (kind) {
    case ErrorKind::kApi:
      out += message.empty() ? fmt::format("server responded with status code {}", http_status)
                             : message;
      if (!code.empty() || http_status != 0) {
        out += " (";
        if (!code.empty()) out += code;
        if (http_status != 0)
          out += fmt::format("{}HTTP {}", code.empty() ? "" : ", ", http_status);
        if (!correlation_id.empty()) out += ", " + correlation_id;
        out += ")";
      }
      for (const auto& f : fields) {
        out += fmt::format("; {}:", f.name);
        for (const auto& m : f.messages) out += " " + m;
      }
      break;
    case ErrorKind::kActionFailed:
      out += fmt::format("action failed: {} ({})", message, code);
      break;
    default:
      out += message;
      break;
  }
  if (outcome_unknown) out += " [outcome unknown]";
  return out;
}

Error malformed(std::string request, std::string what) {
  Error e;
  e.kind = ErrorKind::kMalformed;
  e.request = std::move(request);
  e.message = "malformed response: " + std::move(what);
  return e;
}

Error error_from_response(std::string request, int status, std::string_view content_type,
                          std::string_view body, std::string correlation_id) {
  Error e;
  e.kind = ErrorKind::kApi;
  e.request = std::move(request);
  e.http_status = status;
  e.correlation_id = std::move(correlation_id);
  e.details = nullptr;
  if (content_type.substr(0, 16) == "application/json" && !body.empty()) {
    auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains("error") && j["error"].is_object()) {
      const auto& err = j["error"];
      if (err.contains("code") && err["code"].is_string()) e.code = err["code"].get<std::string>();
      if (err.contains("message") && err["message"].is_string())
        e.message = err["message"].get<std::string>();
      if (err.contains("details")) e.details = err["details"];
      if (e.details.is_object() && e.details.contains("fields") && e.details["fields"].is_array()) {
        for (const auto& f : e.details["fields"]) {
          if (!f.is_object()) continue;
          FieldError fe;
          if (f.contains("name") && f["name"].is_string()) fe.name = f["name"].get<std::string>();
          if (f.contains("messages") && f["messages"].is_array())
            for (const auto& m : f["messages"])
              if (m.is_string()) fe.messages.push_back(m.get<std::string>());
          e.fields.push_back(std::move(fe));
        }
      }
    }
  }
  if (e.code.empty() && e.message.empty()) {
    e.message = fmt::format("server responded with status code {}", status);
  }
  return e;
}

}  // namespace hcloud
