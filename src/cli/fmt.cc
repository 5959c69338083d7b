// `kiln fmt`: Packer's `fmt` command (command/fmt.go and
// hcl2template/formatter.go), formatting with hcl::format_hcl.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli/commands.h"
#include "hcl/diagnostic_text.h"
#include "hcl/format.h"
#include "hcl/parse.h"

namespace kiln::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kHelp =
    "Usage: kiln fmt [options] [TEMPLATE]\n"
    "\n"
    "  Rewrites all Packer configuration files to a canonical format. Both\n"
    "  configuration files (.pkr.hcl) and variable files (.pkrvars.hcl) are updated.\n"
    "  JSON files (.json) are not modified.\n"
    "\n"
    "  If TEMPLATE is \".\" the current directory will be used.\n"
    "  If TEMPLATE is \"-\" then content will be read from STDIN.\n"
    "\n"
    "  The given content must be in Packer's HCL2 configuration language; JSON is\n"
    "  not supported.\n"
    "\n"
    "Options:\n"
    "  -check        Check if the input is formatted. Exit status will be 0 if all\n"
    "                 input is properly formatted and non-zero otherwise.\n"
    "\n"
    "  -diff         Display diffs of formatting change\n"
    "\n"
    "  -write=false  Don't write to source files\n"
    "                (always disabled if using -check)\n"
    "\n"
    "  -recursive     Also process files in subdirectories. By default, only the\n"
    "                 given directory (or current directory) is processed.\n";

struct Options {
  bool check = false;
  bool diff = false;
  bool write = true;
  bool recursive = false;
  std::vector<std::string> paths;
};

// A problem to report as Packer's writeDiags does: "Error: summary" and the
// detail, wrapped at 80 columns.
struct Problem {
  std::string summary;
  std::string detail;
};

// strconv.ParseBool.
std::optional<bool> parse_bool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False")
    return false;
  return std::nullopt;
}

// Parses flags as Go's flag package does: one or two dashes, `-b`,
// `-b=false`, `-v value`, `-v=value`; flags end at the first positional
// argument, at "-" and after "--". Returns an error message, or nothing.
std::optional<std::string> parse_flags(const Args& args, Options& o) {
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-') break;
    size_t dashes = 1;
    if (a[1] == '-') {
      dashes = 2;
      if (a.size() == 2) {  // "--" ends the flags
        ++i;
        break;
      }
    }
    std::string name = a.substr(dashes);
    if (name.empty() || name[0] == '-' || name[0] == '=') return "bad flag syntax: " + a;
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    bool* target = nullptr;
    if (name == "check") target = &o.check;
    if (name == "diff") target = &o.diff;
    if (name == "write") target = &o.write;
    if (name == "recursive") target = &o.recursive;
    if (target) {
      if (!value) {
        *target = true;
        continue;
      }
      auto b = parse_bool(*value);
      if (!b) return "invalid boolean value \"" + *value + "\" for -" + name + ": parse error";
      *target = *b;
      continue;
    }
    // Packer's common flags, accepted and without effect on fmt.
    if (name == "only" || name == "except" || name == "var" || name == "var-file" ||
        name == "config-type") {
      if (!value) {
        if (i + 1 >= args.size()) return "flag needs an argument: -" + name;
        ++i;
      }
      continue;
    }
    return "flag provided but not defined: -" + name;
  }
  o.paths.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return std::nullopt;
}

void report(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& p : problems) {
    text += "Error: " + p.summary + "\n\n";
    if (!p.detail.empty()) text += hcl::wrap_string(p.detail, 80) + "\n\n";
  }
  if (!text.empty()) std::cerr << text << "\n" << std::flush;
}

bool is_hcl_file(std::string_view path) {
  return path.ends_with(".pkr.hcl") || path.ends_with(".pkrvars.hcl");
}

// Editor leftovers and hidden files in a directory are skipped.
bool ignored_name(std::string_view name) {
  return name.starts_with(".") || name.ends_with("~") ||
         (name.starts_with("#") && name.ends_with("#"));
}

// Go's path.Clean (filepath.Join cleans the joined path).
std::string clean_path(std::string_view p) {
  if (p.empty()) return ".";
  bool rooted = p[0] == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view seg = p.substr(i, j - i);
    i = j + 1;
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(seg);
      }
      continue;
    }
    parts.push_back(seg);
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  if (out.empty()) return ".";
  return out;
}

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty()) return clean_path(name);
  return clean_path(dir + "/" + name);
}

// Go's error text for a failed system call on a path: "open x: reason".
std::string os_error(const char* op, const std::string& path, int err) {
  std::string reason = std::strerror(err);
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
  return std::string(op) + " " + path + ": " + reason;
}

// `diff -u` of the two versions, as Packer shells out to diff(1).
std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& path, std::string& error) {
  std::error_code ec;
  fs::path tmp = fs::temp_directory_path(ec);
  if (ec) tmp = "/tmp";
  std::string t1 = (tmp / "kiln-fmt-XXXXXX").string();
  std::string t2 = t1;
  int fd1 = mkstemp(t1.data());
  int fd2 = fd1 >= 0 ? mkstemp(t2.data()) : -1;
  std::string out;
  if (fd1 < 0 || fd2 < 0) {
    error = std::strerror(errno);
    if (fd1 >= 0) {
      close(fd1);
      unlink(t1.c_str());
    }
    return out;
  }
  auto write_all = [](int fd, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::write(fd, s.data() + off, s.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fd);
  };
  write_all(fd1, before);
  write_all(fd2, after);

  int pipefd[2];
  if (pipe(pipefd) != 0) {
    error = std::strerror(errno);
  } else {
    pid_t pid = fork();
    if (pid == 0) {
      dup2(pipefd[1], 1);
      dup2(pipefd[1], 2);
      close(pipefd[0]);
      close(pipefd[1]);
      std::string l1 = "--label=old/" + path, l2 = "--label=new/" + path;
      execlp("diff", "diff", l1.c_str(), l2.c_str(), "-u", t1.c_str(), t2.c_str(),
             static_cast<char*>(nullptr));
      _exit(127);
    }
    close(pipefd[1]);
    char buf[8192];
    ssize_t n;
    while ((n = read(pipefd[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    close(pipefd[0]);
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    if (pid < 0) {
      error = std::strerror(errno);
    } else if (out.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      error = "exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
    }
  }
  unlink(t1.c_str());
  unlink(t2.c_str());
  return out;
}

class Formatter {
 public:
  explicit Formatter(const Options& o) : o_(o) {}

  // Formats the paths; returns the number of bytes of changed output, as
  // Packer counts it for -check.
  size_t run(const std::vector<std::string>& paths) {
    for (const std::string& path : paths) {
      std::error_code ec;
      fs::file_status st = fs::status(path, ec);
      if (path == "-" || ec || !fs::is_directory(st)) {
        format_file(path);
        continue;
      }
      if (!format_dir(path)) return modified_;
    }
    return modified_;
  }

  const std::vector<Problem>& problems() const { return problems_; }

 private:
  bool format_dir(const std::string& dir) {
    std::vector<std::pair<std::string, bool>> entries;  // name, is a directory
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      problems_.push_back({"Cannot read hcl directory", os_error("open", dir, ec.value())});
      return false;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::error_code ec2;
      // Like os.ReadDir: a symbolic link is not a directory.
      bool is_dir = it->symlink_status(ec2).type() == fs::file_type::directory;
      entries.emplace_back(it->path().filename().string(), is_dir);
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& [name, is_dir] : entries) {
      if (ignored_name(name)) continue;
      std::string path = join_path(dir, name);
      if (is_dir) {
        if (o_.recursive) run({path});
        continue;
      }
      if (is_hcl_file(path)) format_file(path);
    }
    return true;
  }

  void format_file(const std::string& path) {
    std::string error;
    size_t n = process_file(path, error);
    if (!error.empty())
      problems_.push_back({"encountered an error while formatting " + path, error});
    modified_ += n;
  }

  // Formats one file; returns the size of its new content if it changed.
  size_t process_file(const std::string& path, std::string& error) {
    const bool is_stdin = path == "-";
    if (!is_stdin && !is_hcl_file(path)) {
      error = "file " + path + " is not a HCL file";
      return 0;
    }
    std::string src;
    if (is_stdin) {
      char buf[65536];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) src.append(buf, n);
      if (std::ferror(stdin)) {
        error = "failed to read " + path + ": " + os_error("read", "/dev/stdin", errno);
        return 0;
      }
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        error = "failed to open " + path + ": " + os_error("open", path, errno);
        return 0;
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      if (in.bad()) {
        error = "failed to read " + path + ": " + os_error("read", path, errno);
        return 0;
      }
      src = ss.str();
    }

    hcl::Diagnostics diags;
    hcl::parse_native_file(src, path, diags);
    if (diags.has_errors()) {
      error = parse_errors(diags);
      return 0;
    }

    std::string out = hcl::format_hcl(src);
    if (out == src) {
      if (is_stdin) std::cout << out << std::flush;
      return 0;
    }
    if (!is_stdin) std::cout << path << "\n" << std::flush;
    if (o_.write) {
      if (is_stdin) {
        std::cout << out << std::flush;
      } else if (!write_file(path, out, error)) {
        return 0;
      }
    }
    if (o_.diff && !is_stdin) {
      std::string diff_error;
      std::string diff = unified_diff(src, out, path, diff_error);
      if (!diff_error.empty()) {
        error = "failed to generate diff for " + path + ": " + diff_error;
        return out.size();
      }
      std::cout << diff << std::flush;
    }
    return out.size();
  }

  static bool write_file(const std::string& path, const std::string& data, std::string& error) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (f) f.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!f) {
      error = os_error("open", path, errno);
      return false;
    }
    return true;
  }

  // The errors of a failed parse, listed as go-multierror lists the
  // hcl.Diagnostic errors: "file:line,col-col: summary; detail".
  static std::string parse_errors(const hcl::Diagnostics& diags) {
    std::vector<std::string> errs;
    for (const auto& d : diags) {
      if (d.severity != hcl::Severity::Error) continue;
      std::string where = d.subject ? d.subject->str() : "<nil>";
      errs.push_back(where + ": " + d.summary + "; " + d.detail);
    }
    std::string s;
    if (errs.size() == 1) {
      s = "1 error occurred:\n\t* " + errs[0] + "\n\n";
    } else {
      s = std::to_string(errs.size()) + " errors occurred:\n\t";
      for (size_t i = 0; i < errs.size(); ++i) {
        if (i) s += "\n\t";
        s += "* " + errs[i];
      }
      s += "\n\n";
    }
    return s;
  }

  const Options& o_;
  size_t modified_ = 0;
  std::vector<Problem> problems_;
};

}  // namespace

int cmd_fmt(const Args& args) {
  // As the CLI framework does, a help flag anywhere before "--" shows help.
  for (const std::string& a : args) {
    if (a == "--") break;
    if (a == "-h" || a == "-help" || a == "--help") {
      std::cout << kHelp;
      return 0;
    }
  }
  // Packer's main removes -machine-readable from anywhere in the arguments
  // before a command sees them (kiln's main passes it on, after the
  // command's own arguments); fmt's output has no machine-readable form.
  Args rest;
  for (const std::string& a : args) {
    if (a != "-machine-readable" && a != "--machine-readable") rest.push_back(a);
  }
  Options o;
  if (auto err = parse_flags(rest, o)) {
    std::cerr << *err << "\n";
    std::cout << kHelp;
    return 1;
  }
  if (o.paths.empty()) {
    std::cout << kHelp;
    return 1;
  }
  if (o.check) o.write = false;

  Formatter f(o);
  size_t modified = f.run(o.paths);
  if (!f.problems().empty()) {
    report(f.problems());
    return 1;
  }
  if (o.check && modified > 0) return 3;  // as `terraform fmt -check`
  return 0;
}

}  // namespace kiln::cli
