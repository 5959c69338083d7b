#include "provisioners/ui_output.h"

#include "template/template.h"

namespace kiln::prov {

std::string FilteredUi::filter(const std::string& text) const {
  return info_.config ? info_.config->filter_secrets(text) : text;
}

std::string output_line(std::string_view line) {
  // A trailing "\r" (CRLF output) is not a carriage-return redraw.
  while (!line.empty() &&
         (line.back() == '\r' || line.back() == ' ' || line.back() == '\t' || line.back() == '\n'))
    line.remove_suffix(1);
  auto cr = line.rfind('\r');
  if (cr != std::string_view::npos) line.remove_prefix(cr + 1);
  return std::string(line);
}

engine::Status fail(const engine::BuildInfo& info, const std::string& message) {
  return engine::Status::fail(info.config ? info.config->filter_secrets(message) : message);
}

}  // namespace kiln::prov
