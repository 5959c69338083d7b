// Packer's UI for `build`: one shared sink (stdout, one writer at a time)
// and a Ui per build that prefixes its lines with the build's name
// (TargetedUI), then a timestamp (-timestamp-ui), then the build's colour
// (ColoredUi), or writes machine-readable lines (-machine-readable).
// Secrets are filtered from everything written.
#pragma once

#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "engine/plugin.h"

namespace kiln::engine {

struct OutputOptions {
  bool machine = false;    // -machine-readable
  bool color = true;       // -color (and no NO_COLOR/PACKER_NO_COLOR)
  bool timestamp = false;  // -timestamp-ui
  // Replaces secrets with "<sensitive>"; null: nothing to filter.
  std::function<std::string(std::string)> filter;
  FILE* out = stdout;
  FILE* in = stdin;
  bool interactive = false;  // a terminal is attached: ask() reads a line
};

class Output {
 public:
  explicit Output(OutputOptions options);

  // Untargeted UI (the command's own lines), as Packer's c.Ui.
  void say(const std::string& msg);
  void error(const std::string& msg);
  // "<unix>,<target>,<type>,<args...>" (machine-readable mode only).
  void machine(const std::string& target, const std::string& type,
               const std::vector<std::string>& args);
  // Writes text as is, secrets filtered (the caller adds newlines).
  void write(const std::string& text);
  // Asks on the terminal; "" without one or on EOF, or once cancel (when
  // given) is set.
  std::string ask(const std::string& question, const Cancel* cancel = nullptr);

  const OutputOptions& options() const { return opt_; }
  std::string filter(std::string s) const;
  void add_secret(const std::string& secret);
  std::string timestamp_prefix() const;

 private:
  OutputOptions opt_;
  std::mutex mu_;       // one writer at a time
  std::mutex read_mu_;  // one reader of the terminal (output goes on meanwhile)
  mutable std::mutex secrets_mu_;
  std::vector<std::string> secrets_;
};

// The UI of one build (or of a post-processor: target "name (type)").
class BuildUi : public Ui {
 public:
  // color_index: the build's position; colours cycle green, cyan, magenta,
  // yellow, blue.
  BuildUi(Output& out, std::string target, int color_index);

  void say(const std::string& msg) override;
  void message(const std::string& msg) override;
  void error(const std::string& msg) override;
  std::string ask(const std::string& question) override;
  std::string ask_cancellable(const std::string& question, const Cancel& cancel) override;
  void add_secret(const std::string& secret) override { out_.add_secret(secret); }

  // A line without the "==> target: " prefix in the build's colour (Packer's
  // "Build 'x' finished after ..."); as_error: red, ui,error.
  void plain(const std::string& msg, bool as_error = false);
  void machine(const std::string& type, const std::vector<std::string>& args);
  // "target: output will be in this color." (colour only).
  void announce();
  const std::string& target() const { return target_; }

 private:
  void emit(const std::string& msg, const char* kind, int color, bool prefixed);
  Output& out_;
  std::string target_;
  int color_;
};

// Packer's machine-readable escaping of one argument.
std::string machine_escape(const std::string& s);
// "==> target: line" for every line of msg, trailing whitespace trimmed.
std::string targeted(const std::string& target, const std::string& msg);

}  // namespace kiln::engine
