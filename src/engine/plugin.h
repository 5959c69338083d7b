// The contract between the build engine and the plugins it runs:
// provisioners and post-processors (builders are the engine's own, in
// src/builders). A plugin is created by type name, prepared once with its
// decoded configuration, then run. Errors are values (Status), never
// exceptions crossing this interface.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hcl/value.h"

namespace ssh {
class Client;
}
namespace kiln::tmpl {
class Config;
}

namespace kiln::engine {

// Success, or an error message for people (no secrets in it).
class Status {
 public:
  static Status ok() { return Status(); }
  static Status fail(std::string message) {
    Status s;
    s.failed_ = true;
    s.message_ = std::move(message);
    return s;
  }
  explicit operator bool() const { return !failed_; }  // true on success
  bool failed() const { return failed_; }
  const std::string& message() const { return message_; }

 private:
  bool failed_ = false;
  std::string message_;
};

// Cancellation of one build (a signal, -on-error, a timeout). Shared by the
// engine and the plugins; plugins poll cancelled() or sleep with sleep_for().
class Cancel {
 public:
  bool cancelled() const {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }
  void cancel() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
    }
    cv_.notify_all();
  }
  // Sleeps up to d; false when cancelled before or meanwhile.
  bool sleep_for(std::chrono::milliseconds d) const {
    std::unique_lock<std::mutex> lock(mu_);
    return !cv_.wait_for(lock, d, [this] { return cancelled_; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool cancelled_ = false;
};

// Output of one build, prefixed with its name as Packer's UI does.
class Ui {
 public:
  virtual ~Ui() = default;
  virtual void say(const std::string& msg) = 0;      // "==> NAME: msg"
  virtual void message(const std::string& msg) = 0;  // "    NAME: msg"
  virtual void error(const std::string& msg) = 0;    // "==> NAME: msg" on stderr (red)
  // Asks on the terminal and returns the answer line ("" on EOF or when
  // there is no terminal).
  virtual std::string ask(const std::string& question) = 0;
  // The same, but gives up ("") once cancel is set, as Packer's -debug
  // pause does: an interrupt must not wait for someone to press enter.
  virtual std::string ask_cancellable(const std::string& question, const Cancel& /*cancel*/) {
    return ask(question);
  }
  // Registers a secret found at run time (a temporary private key, a root
  // password): filtered from all output from now on.
  virtual void add_secret(const std::string& /*secret*/) {}
};

// What a plugin knows about the build it runs in.
struct BuildInfo {
  std::string build_name;    // PACKER_BUILD_NAME: the source's name, "nixos"
  std::string builder_type;  // PACKER_BUILDER_TYPE: "hcloud", "null"
  std::string full_name;     // "hcloud.nixos" or "mybuild.hcloud.nixos"
  std::string run_uuid;      // PACKER_RUN_UUID
  // build.* values as the builder set them (ID, Host, Port, User,
  // SSHPublicKey, SSHPrivateKey, ServerID, ...), as strings.
  std::map<std::string, std::string> generated;
  std::string http_addr;  // PACKER_HTTP_ADDR, "" when none
  // The template (path.root, secrets to filter); never null while running.
  const tmpl::Config* config = nullptr;
  bool debug = false;        // -debug
  bool force = false;        // -force (the manifest starts afresh on a new run)
  bool interactive = false;  // a terminal is attached (breakpoint, ask)
};

// A provisioner: Packer's Provisioner interface.
class Provisioner {
 public:
  virtual ~Provisioner() = default;
  // config: the decoded configuration, an object holding every field of
  // the type's schema (src/template/schemas.cc), null where unset. Checks
  // it as Packer's Prepare does (defaults, mutually exclusive fields, files
  // that must exist).
  virtual Status prepare(const hcl::Value& config, const BuildInfo& info) = 0;
  // comm is null when the build has no communicator (communicator "none").
  virtual Status provision(Ui& ui, ssh::Client* comm, const BuildInfo& info,
                           const Cancel& cancel) = 0;
};

// What a build produced (Packer's packersdk.Artifact).
struct Artifact {
  std::string builder_id;  // "hetznercloud.hcloud", "packer.post-processor.checksum"
  std::string id;          // the snapshot's id, "" when none
  std::vector<std::string> files;
  std::string description;  // String(): "A snapshot was created: 'x' (ID: 42)"
  // State("...") values, e.g. "generated_data" entries, labels, architecture.
  std::map<std::string, std::string> state;
  // Destroy(): deletes what the artifact is (a snapshot); null when nothing.
  std::function<Status()> destroy;
};

// A post-processor: Packer's PostProcessor interface.
class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  virtual Status prepare(const hcl::Value& config, const BuildInfo& info) = 0;
  // Returns the new artifact in out. keep: whether the input artifact is
  // kept (the default when the block sets no keep_input_artifact);
  // force_keep: keep it whatever the block says.
  virtual Status post_process(Ui& ui, const BuildInfo& info, const Artifact& in, Artifact& out,
                              bool& keep, bool& force_keep, const Cancel& cancel) = 0;
};

// Factories (src/provisioners/registry.cc, src/postprocessors/registry.cc):
// null for a type kiln does not have.
std::unique_ptr<Provisioner> make_provisioner(const std::string& type);
std::unique_ptr<PostProcessor> make_post_processor(const std::string& type);

}  // namespace kiln::engine
