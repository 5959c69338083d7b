// How plugins talk to the UI: every text passes the template's secret
// filter (sensitive variables, the token) before it reaches the engine's Ui,
// and command output is split into lines as Packer's RunWithUi does.
#pragma once

#include <string>
#include <string_view>

#include "engine/plugin.h"

namespace kiln::prov {

// A Ui that filters secrets with info.config (when set) and forwards.
class FilteredUi : public engine::Ui {
 public:
  FilteredUi(engine::Ui& inner, const engine::BuildInfo& info) : inner_(inner), info_(info) {}
  void say(const std::string& msg) override { inner_.say(filter(msg)); }
  void message(const std::string& msg) override { inner_.message(filter(msg)); }
  void error(const std::string& msg) override { inner_.error(filter(msg)); }
  std::string ask(const std::string& q) override { return inner_.ask(filter(q)); }
  std::string ask_cancellable(const std::string& q, const engine::Cancel& cancel) override {
    return inner_.ask_cancellable(filter(q), cancel);
  }
  // Forwarded (no `override`, so this compiles whether or not the engine's
  // Ui declares it).
  void add_secret(const std::string& s) { inner_.add_secret(s); }
  std::string filter(const std::string& text) const;

 private:
  engine::Ui& inner_;
  const engine::BuildInfo& info_;
};

// One line of remote or local command output as Packer shows it: the text
// after the last "\r" (a progress bar's final state), right-trimmed.
std::string output_line(std::string_view line);

// An engine::Status failure with secrets filtered.
engine::Status fail(const engine::BuildInfo& info, const std::string& message);

}  // namespace kiln::prov
