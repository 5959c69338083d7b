// The file provisioner (Packer's provisioner/file): uploads or downloads
// files and directories over the communicator, with Packer's path rules
// ("dir/" copies the contents, "dir" the directory itself; a destination
// ending in "/" receives the source's base name).
#include <sys/stat.h>

#include <filesystem>

#include "provisioners/plugin_config.h"
#include "provisioners/plugins.h"
#include "provisioners/ui_output.h"
#include "ssh/client.h"

namespace kiln::prov {

namespace {

using engine::Status;

std::string base_name(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto pos = p.rfind('/');
  return pos == std::string::npos ? p : p.substr(pos + 1);
}

bool ends_with_slash(const std::string& s) {
  return !s.empty() && s.back() == '/';
}

class File : public engine::Provisioner {
 public:
  Status prepare(const hcl::Value& cfg, const engine::BuildInfo&) override {
    std::vector<std::string> errs;
    schema_checks(tmpl::PluginKind::Provisioner, "file", cfg, errs);
    if (!errs.empty()) return multi_error(errs);
    sources_.clear();
    if (cfg_set(cfg, "source")) sources_.push_back(cfg_string(cfg, "source"));
    for (auto& s : cfg_strings(cfg, "sources")) sources_.push_back(s);
    has_content_ = cfg_present(cfg, "content");
    content_ = cfg_string(cfg, "content");
    destination_ = cfg_string(cfg, "destination");
    download_ = cfg_string(cfg, "direction", "upload") == "download";
    return Status::ok();
  }

  Status provision(engine::Ui& raw_ui, ssh::Client* comm, const engine::BuildInfo& info,
                   const engine::Cancel& cancel) override {
    FilteredUi ui(raw_ui, info);
    if (comm == nullptr)
      return fail(info, "the file provisioner needs a communicator, but the build has none");
    if (has_content_) {
      ui.say("Uploading content => " + destination_);
      std::string dst = destination_;
      auto r = comm->upload_data(content_, dst, 0644);
      if (!r) {
        ui.error("Upload failed: " + r.error().to_string());
        return fail(info, r.error().to_string());
      }
      return Status::ok();
    }
    for (auto& src : sources_) {
      if (cancel.cancelled()) return fail(info, "Provisioning was cancelled");
      Status s = download_ ? download(ui, *comm, src, info) : upload(ui, *comm, src, info);
      if (!s) return s;
    }
    return Status::ok();
  }

 private:
  Status upload(engine::Ui& ui, ssh::Client& comm, const std::string& src,
                const engine::BuildInfo& info) {
    ui.say("Uploading " + src + " => " + destination_);
    struct stat st {};
    if (::stat(src.c_str(), &st) != 0) {
      std::string e = "stat " + src + ": no such file or directory";
      ui.error("Upload failed: " + e);
      return fail(info, e);
    }
    ssh::Status r = ssh::Unit{};
    if (S_ISDIR(st.st_mode)) {
      r = comm.upload_dir(src, destination_);
    } else {
      std::string dst = destination_;
      if (ends_with_slash(dst)) dst += base_name(src);
      r = comm.upload(src, dst);
    }
    if (!r) {
      ui.error("Upload failed: " + r.error().to_string());
      return fail(info, r.error().to_string());
    }
    return Status::ok();
  }

  Status download(engine::Ui& ui, ssh::Client& comm, const std::string& src,
                  const engine::BuildInfo& info) {
    ui.say("Downloading " + src + " => " + destination_);
    // Packer creates the local directories the destination needs.
    std::error_code ec;
    std::filesystem::path dir = ends_with_slash(destination_)
                                    ? std::filesystem::path(destination_)
                                    : std::filesystem::path(destination_).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) {
      std::string e = "mkdir " + dir.string() + ": " + ec.message();
      ui.error("Download failed: " + e);
      return fail(info, e);
    }
    ssh::Status r = ssh::Unit{};
    if (src.find_first_of("*?[") != std::string::npos) {
      r = download_glob(comm, src);
    } else if (ends_with_slash(src)) {
      r = comm.download_dir(src, destination_);
    } else {
      std::string dst = destination_;
      if (ends_with_slash(dst)) dst += base_name(src);
      r = comm.download(src, dst);
    }
    if (!r) {
      ui.error("Download failed: " + r.error().to_string());
      return fail(info, r.error().to_string());
    }
    return Status::ok();
  }

  // Packer hands a pattern to scp, whose remote shell expands it: every
  // match lands in the destination directory, directories recursively.
  ssh::Status download_glob(ssh::Client& comm, const std::string& pattern) {
    // The pattern stays unquoted so the remote shell expands it; each
    // match is printed with its kind.
    std::string cmd = "for f in " + pattern +
                      "; do if [ -d \"$f\" ]; then echo \"d $f\"; elif [ -e \"$f\" ]; then "
                      "echo \"f $f\"; fi; done";
    std::vector<std::string> matches;
    ssh::ExecOptions opt;
    opt.on_stdout = [&](std::string_view l) { matches.emplace_back(l); };
    auto r = comm.exec(cmd, opt);
    if (!r) return r.error();
    std::error_code ec;
    std::filesystem::create_directories(destination_, ec);
    if (matches.empty()) {
      ssh::Error e;
      e.step = "download " + pattern;
      e.message = "no remote file matches " + pattern;
      e.kind = ssh::ErrorKind::kSftp;
      return e;
    }
    for (auto& m : matches) {
      if (m.size() < 3) continue;
      std::string path = m.substr(2);
      std::string dst = destination_;
      if (!ends_with_slash(dst)) dst += "/";
      ssh::Status s =
          m[0] == 'd' ? comm.download_dir(path, dst) : comm.download(path, dst + base_name(path));
      if (!s) return s;
    }
    return ssh::Unit{};
  }

  std::vector<std::string> sources_;
  bool has_content_ = false;
  std::string content_, destination_;
  bool download_ = false;
};

}  // namespace

std::unique_ptr<engine::Provisioner> new_file() {
  return std::make_unique<File>();
}

}  // namespace kiln::prov
