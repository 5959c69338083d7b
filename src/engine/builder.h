// What the engine asks of a builder (src/builders): prepare its decoded
// configuration, then run its steps, calling back into the engine to
// provision (Packer's StepProvision hook) once it has a communicator.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/plugin.h"

namespace kiln::engine {

class Journal;

// -on-error: what a failed step leads to.
enum class OnError { kCleanup, kAbort, kAsk, kRunCleanupProvisioner };

// Parses "cleanup", "abort", "ask", "run-cleanup-provisioner".
std::optional<OnError> parse_on_error(const std::string& s);

struct BuildContext {
  BuildInfo* info = nullptr;  // the builder fills info->generated
  OnError on_error = OnError::kCleanup;
  bool force = false;          // -force
  bool debug = false;          // -debug: pause between steps
  Journal* journal = nullptr;  // every created resource is recorded here (may be null)
  // Set by a second signal: cleanups do not wait for actions to finish.
  const std::atomic<bool>* hurry = nullptr;
  // Runs the build's provisioners (and the error-cleanup provisioner when
  // one fails). comm is null with communicator "none".
  std::function<Status(Ui& ui, ssh::Client* comm)> provision;

  bool hurried() const { return hurry && hurry->load(); }
};

class Builder {
 public:
  virtual ~Builder() = default;
  // config: the decoded source (every field of the builder's schema, null
  // where unset). Checks it and sets the defaults; may fill info.generated.
  virtual Status prepare(const hcl::Value& config, BuildInfo& info) = 0;
  // Runs the steps; on success out holds the artifact (or nothing).
  virtual Status run(Ui& ui, BuildContext& ctx, const Cancel& cancel,
                     std::optional<Artifact>& out) = 0;
};

using BuilderFactory = std::function<std::unique_ptr<Builder>(const std::string& type)>;

}  // namespace kiln::engine
