// The manifest post-processor (Packer's post-processor/manifest): appends
// the build's artifact to a JSON file (packer-manifest.json), byte for byte
// as Packer writes it (json.MarshalIndent, Go escaping, no final newline,
// mode 0664), starting afresh under -force when the file is from another
// run. The input artifact passes through and is always kept.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "hcl/value.h"
#include "postprocessors/plugins.h"
#include "provisioners/build_context.h"
#include "provisioners/plugin_config.h"
#include "provisioners/temp_file.h"
#include "provisioners/ui_output.h"

namespace kiln::pp {

namespace {

using engine::Status;

struct FileEntry {
  std::string name;
  int64_t size = 0;
};

// Packer's manifest.Artifact, fields in its struct order.
struct BuildEntry {
  std::string name, builder_type;
  int64_t build_time = 0;  // omitempty
  std::optional<std::vector<FileEntry>> files;
  std::string artifact_id, packer_run_uuid;
  std::optional<std::map<std::string, std::string>> custom_data;
};

std::string str_of(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}
int64_t int_of(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

// Go's json.Unmarshal into the struct: unknown keys dropped, wrong types
// are an error there; kiln is lenient and keeps what it understands.
BuildEntry parse_build(const nlohmann::json& j) {
  BuildEntry b;
  b.name = str_of(j, "name");
  b.builder_type = str_of(j, "builder_type");
  b.build_time = int_of(j, "build_time");
  b.artifact_id = str_of(j, "artifact_id");
  b.packer_run_uuid = str_of(j, "packer_run_uuid");
  if (auto it = j.find("files"); it != j.end() && it->is_array()) {
    b.files.emplace();
    for (auto& f : *it) {
      if (!f.is_object()) continue;
      b.files->push_back({str_of(f, "name"), int_of(f, "size")});
    }
  }
  if (auto it = j.find("custom_data"); it != j.end() && it->is_object()) {
    b.custom_data.emplace();
    for (auto& [k, v] : it->items())
      if (v.is_string()) (*b.custom_data)[k] = v.get<std::string>();
  }
  return b;
}

std::string q(const std::string& s) {
  return hcl::json_quote(s);
}

// json.MarshalIndent(manifest, "", "  ").
std::string marshal(const std::vector<BuildEntry>& builds, const std::string& last_run_uuid) {
  std::ostringstream o;
  o << "{\n  \"builds\": ";
  if (builds.empty()) {
    o << "[]";
  } else {
    o << "[\n";
    for (size_t i = 0; i < builds.size(); ++i) {
      const BuildEntry& b = builds[i];
      o << "    {\n";
      o << "      \"name\": " << q(b.name) << ",\n";
      o << "      \"builder_type\": " << q(b.builder_type) << ",\n";
      if (b.build_time != 0) o << "      \"build_time\": " << b.build_time << ",\n";
      o << "      \"files\": ";
      if (!b.files) {
        o << "null";
      } else if (b.files->empty()) {
        o << "[]";
      } else {
        o << "[\n";
        for (size_t k = 0; k < b.files->size(); ++k) {
          o << "        {\n          \"name\": " << q((*b.files)[k].name)
            << ",\n          \"size\": " << (*b.files)[k].size << "\n        }"
            << (k + 1 < b.files->size() ? "," : "") << "\n";
        }
        o << "      ]";
      }
      o << ",\n";
      o << "      \"artifact_id\": " << q(b.artifact_id) << ",\n";
      o << "      \"packer_run_uuid\": " << q(b.packer_run_uuid) << ",\n";
      o << "      \"custom_data\": ";
      if (!b.custom_data) {
        o << "null";
      } else if (b.custom_data->empty()) {
        o << "{}";
      } else {
        o << "{\n";
        size_t k = 0;
        for (auto& [key, v] : *b.custom_data) {
          o << "        " << q(key) << ": " << q(v) << (++k < b.custom_data->size() ? "," : "")
            << "\n";
        }
        o << "      }";
      }
      o << "\n    }" << (i + 1 < builds.size() ? "," : "") << "\n";
    }
    o << "  ]";
  }
  o << ",\n  \"last_run_uuid\": " << q(last_run_uuid) << "\n}";
  return o.str();
}

// Parallel builds in one kiln share this process: the lock file alone
// would make them wait 200 ms steps for each other.
std::mutex g_manifest_mu;

class Manifest : public engine::PostProcessor {
 public:
  Status prepare(const hcl::Value& cfg, const engine::BuildInfo&) override {
    std::vector<std::string> errs;
    prov::schema_checks(tmpl::PluginKind::PostProcessor, "manifest", cfg, errs);
    if (!errs.empty()) return prov::multi_error(errs);
    output_ = prov::cfg_string(cfg, "output", "packer-manifest.json");
    strip_path_ = prov::cfg_bool(cfg, "strip_path");
    strip_time_ = prov::cfg_bool(cfg, "strip_time");
    custom_data_present_ = prov::cfg_present(cfg, "custom_data");
    custom_data_ = prov::cfg_map(cfg, "custom_data");
    force_ = prov::cfg_bool(cfg, "packer_force");
    return Status::ok();
  }

  Status post_process(engine::Ui&, const engine::BuildInfo& info, const engine::Artifact& in,
                      engine::Artifact& out, bool& keep, bool& force_keep,
                      const engine::Cancel&) override {
    out = in;
    keep = true;
    force_keep = true;
    prov::TemplateData data = prov::template_data(info);
    std::string err;
    auto path = prov::render_template(output_, data, &err);
    if (!path) return prov::fail(info, "Error interpolating output: " + err);

    BuildEntry entry;
    entry.name = info.build_name;
    entry.builder_type = info.builder_type;
    if (!strip_time_) entry.build_time = static_cast<int64_t>(std::time(nullptr));
    if (!in.files.empty()) {
      entry.files.emplace();
      for (auto& f : in.files) {
        FileEntry fe;
        fe.name = f;
        if (strip_path_) {
          auto slash = f.rfind('/');
          if (slash != std::string::npos) fe.name = f.substr(slash + 1);
        }
        struct stat st {};
        if (::stat(f.c_str(), &st) == 0) fe.size = st.st_size;
        entry.files->push_back(fe);
      }
    }
    entry.artifact_id = in.id;
    entry.packer_run_uuid = info.run_uuid;
    if (custom_data_present_) {
      entry.custom_data.emplace();
      for (auto& [k, v] : custom_data_) {
        auto r = prov::render_template(v, data, &err);
        if (!r) return prov::fail(info, "Error interpolating custom_data: " + err);
        (*entry.custom_data)[k] = *r;
      }
    }

    std::lock_guard<std::mutex> guard(g_manifest_mu);
    // Packer's lock file: three tries, 0/200/400 ms apart, then go on.
    std::string lock = *path + ".lock";
    bool locked = false;
    for (int i = 0; i < 3 && !locked; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * i));
      int fd = ::open(lock.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0664);
      if (fd >= 0) {
        ::close(fd);
        locked = true;
      }
    }
    struct Unlock {
      const std::string& p;
      bool on;
      ~Unlock() {
        if (on) ::unlink(p.c_str());
      }
    } unlock{lock, locked};

    std::vector<BuildEntry> builds;
    std::string last_run;
    std::string contents;
    struct stat pst {};
    if (::stat(path->c_str(), &pst) == 0) {
      if (!prov::read_file(*path, &contents, &err))
        return prov::fail(info, "Unable to open " + *path + " for reading: " + err);
      if (!contents.empty()) {
        auto j = nlohmann::json::parse(contents, nullptr, false);
        if (j.is_discarded() || !j.is_object())
          return prov::fail(
              info, "Unable to parse content from " + *path + ": the file is not a JSON object");
        if (auto it = j.find("builds"); it != j.end() && it->is_array())
          for (auto& b : *it)
            if (b.is_object()) builds.push_back(parse_build(b));
        last_run = str_of(j, "last_run_uuid");
      }
    } else if (errno != ENOENT) {
      return prov::fail(info, "Unable to open " + *path + " for reading: " + std::strerror(errno));
    }
    if ((force_ || info.force) && last_run != info.run_uuid) builds.clear();
    builds.push_back(entry);
    std::string text = marshal(builds, info.run_uuid);

    int fd = ::open(path->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0664);
    if (fd < 0) return prov::fail(info, "Unable to write " + *path + ": " + std::strerror(errno));
    size_t off = 0;
    while (off < text.size()) {
      ssize_t w = ::write(fd, text.data() + off, text.size() - off);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        std::string e = std::strerror(errno);
        ::close(fd);
        return prov::fail(info, "Unable to write " + *path + ": " + e);
      }
      off += static_cast<size_t>(w);
    }
    ::close(fd);
    return Status::ok();
  }

 private:
  std::string output_;
  bool strip_path_ = false, strip_time_ = false, force_ = false, custom_data_present_ = false;
  std::map<std::string, std::string> custom_data_;
};

}  // namespace

std::unique_ptr<engine::PostProcessor> new_manifest() {
  return std::make_unique<Manifest>();
}

}  // namespace kiln::pp
