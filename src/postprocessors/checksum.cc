// The checksum post-processor (Packer's post-processor/checksum): for each
// checksum type, appends "<hex>\t<basename>\n" for every file of the
// artifact to the output file (a template over BuildName, BuilderType and
// ChecksumType). The new artifact lists the checksum files.
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "postprocessors/plugins.h"
#include "provisioners/build_context.h"
#include "provisioners/plugin_config.h"
#include "provisioners/ui_output.h"

namespace kiln::pp {

namespace {

using engine::Status;

// Hex digest of a file, or "" and *error.
std::string digest_file(const std::string& type, const std::string& path, std::string* error) {
  const EVP_MD* md = EVP_get_digestbyname(type.c_str());
  if (md == nullptr) {
    *error = "Unrecognized checksum type: " + type;
    return "";
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = "open " + path + ": " + std::strerror(errno);
    return "";
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), md, nullptr);
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = "read " + path + ": " + std::strerror(errno);
      ::close(fd);
      return "";
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), out, &len);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 15];
  }
  return hex;
}

class Checksum : public engine::PostProcessor {
 public:
  Status prepare(const hcl::Value& cfg, const engine::BuildInfo&) override {
    std::vector<std::string> errs;
    prov::schema_checks(tmpl::PluginKind::PostProcessor, "checksum", cfg, errs);
    if (!errs.empty()) return prov::multi_error(errs);
    types_ = prov::cfg_strings(cfg, "checksum_types");
    if (types_.empty()) types_ = {"md5"};
    output_ = prov::cfg_string(cfg, "output",
                               "packer_{{.BuildName}}_{{.BuilderType}}_{{.ChecksumType}}.checksum");
    return Status::ok();
  }

  Status post_process(engine::Ui&, const engine::BuildInfo& info, const engine::Artifact& in,
                      engine::Artifact& out, bool& keep, bool& force_keep,
                      const engine::Cancel& cancel) override {
    keep = true;
    force_keep = true;
    std::vector<std::string> files;
    for (auto& type : types_) {
      prov::TemplateData data = prov::template_data(info);
      data.fields["ChecksumType"] = type;
      data.strict_fields = true;
      std::string err;
      auto target = prov::render_template(output_, data, &err);
      if (!target) return prov::fail(info, "Error interpolating output: " + err);
      for (auto& f : in.files) {
        if (cancel.cancelled()) return prov::fail(info, "Post-processing was cancelled");
        std::string hex = digest_file(type, f, &err);
        if (hex.empty()) return prov::fail(info, "Failed to checksum " + f + ": " + err);
        std::error_code ec;
        auto dir = std::filesystem::path(*target).parent_path();
        if (!dir.empty()) std::filesystem::create_directories(dir, ec);
        if (ec) return prov::fail(info, "unable to create dir: " + ec.message());
        int fd = ::open(target->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0)
          return prov::fail(info, "unable to create file " + *target + ": " + std::strerror(errno));
        std::string line = hex + "\t" + std::filesystem::path(f).filename().string() + "\n";
        ssize_t w = ::write(fd, line.data(), line.size());
        ::close(fd);
        if (w != static_cast<ssize_t>(line.size()))
          return prov::fail(info, "unable to write " + *target);
        if (std::find(files.begin(), files.end(), *target) == files.end()) files.push_back(*target);
      }
    }
    out = engine::Artifact{};
    out.builder_id = "packer.post-processor.checksum";
    out.files = files;
    std::string joined;
    for (size_t i = 0; i < files.size(); ++i) joined += (i ? ", " : "") + files[i];
    out.description = "Created artifact from files: " + joined;
    return Status::ok();
  }

 private:
  std::vector<std::string> types_;
  std::string output_;
};

}  // namespace

std::unique_ptr<engine::PostProcessor> new_checksum() {
  return std::make_unique<Checksum>();
}

}  // namespace kiln::pp
