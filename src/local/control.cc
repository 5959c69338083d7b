#include "local/control.h"

namespace kiln::local {

using json = nlohmann::json;

namespace {

ApiResponse reply(int status, const json& body) {
  ApiResponse r;
  r.status = status;
  if (!body.is_null()) r.body = body.dump();
  return r;
}

// The API's error envelope, so that the same tools read both.
ApiResponse fail(int status, const std::string& code, const std::string& message) {
  return reply(status,
               {{"error", {{"code", code}, {"message", message}, {"details", json::object()}}}});
}

ApiResponse faults_(Faults& faults, const ApiRequest& req, const std::string& rest) {
  const std::string& m = req.method;
  if (!rest.empty()) {
    // /_kiln/faults/{id}
    if (rest.find_first_not_of("0123456789") != std::string::npos || rest.size() > 18)
      return fail(404, "not_found", "no such fault rule");
    if (m != "DELETE") return fail(405, "method_not_allowed", "only DELETE on a rule");
    if (!faults.remove(std::stoll(rest))) return fail(404, "not_found", "no such fault rule");
    return reply(204, nullptr);
  }
  if (m == "GET") return reply(200, faults.to_json());
  if (m == "DELETE") {
    faults.clear();
    return reply(204, nullptr);
  }
  if (m != "POST" && m != "PUT") return fail(405, "method_not_allowed", "method not allowed");
  json doc = json::parse(req.body, nullptr, false);
  if (doc.is_discarded()) return fail(400, "json_error", "invalid JSON in request body");
  std::string err;
  if (m == "PUT") {
    if (!faults.load(doc, &err)) return fail(422, "invalid_input", err);
    return reply(200, faults.to_json());
  }
  auto added = faults.add(doc, &err);
  if (!added) return fail(422, "invalid_input", err);
  return reply(201, {{"rules", *added}});
}

ApiResponse counters_(Counters& counters, const ApiRequest& req) {
  if (req.method == "GET") return reply(200, counters.to_json());
  if (req.method == "DELETE") {
    counters.reset();
    return reply(204, nullptr);
  }
  return fail(405, "method_not_allowed", "method not allowed");
}

}  // namespace

bool is_loopback_address(const std::string& addr) {
  return addr == "::1" || addr.rfind("127.", 0) == 0 || addr.rfind("::ffff:127.", 0) == 0;
}

ApiResponse handle_control(Faults& faults, Counters& counters, const ApiRequest& request,
                           const std::string& remote_addr,
                           const std::function<nlohmann::json()>& actions) {
  if (!is_loopback_address(remote_addr))
    return fail(403, "forbidden", "the control endpoint answers only on loopback");
  const std::string& p = request.path;
  const std::string fp = "/_kiln/faults";
  if (p == fp || p == fp + "/") return faults_(faults, request, "");
  if (p.rfind(fp + "/", 0) == 0) return faults_(faults, request, p.substr(fp.size() + 1));
  if (p == "/_kiln/counters" || p == "/_kiln/counters/") return counters_(counters, request);
  if (actions && (p == "/_kiln/actions" || p == "/_kiln/actions/")) {
    if (request.method != "GET") return fail(405, "method_not_allowed", "method not allowed");
    return reply(200, {{"actions", actions()}});
  }
  return fail(404, "not_found",
              "unknown control path (try /_kiln/faults, /_kiln/counters or /_kiln/actions)");
}

}  // namespace kiln::local
