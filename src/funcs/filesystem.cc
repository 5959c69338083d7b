// Filesystem functions: abspath, basename, dirname, file, filebase64,
// fileexists, fileset, pathexpand (go-cty-funcs filesystem, Packer's
// filebase64), with Go's path/filepath semantics.
#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "funcs/common.h"
#include "funcs/fs_util.h"

namespace kiln::funcs {

// --- Go path/filepath on Unix --------------------------------------------------

std::string go_clean(std::string_view path) {
  if (path.empty()) return ".";
  bool rooted = path[0] == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    if (part.empty() || part == ".") {
    } else if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out.append(parts[k]);
  }
  if (out.empty()) return ".";
  return out;
}

std::string go_join(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return "";
  if (a.empty()) return go_clean(b);
  if (b.empty()) return go_clean(a);
  return go_clean(std::string(a) + "/" + std::string(b));
}

std::string go_base(std::string_view path) {
  if (path.empty()) return ".";
  while (path.size() > 0 && path.back() == '/') path.remove_suffix(1);
  size_t i = path.rfind('/');
  if (i != std::string_view::npos) path = path.substr(i + 1);
  if (path.empty()) return "/";
  return std::string(path);
}

std::string go_dir(std::string_view path) {
  size_t i = path.rfind('/');
  std::string_view dir = i == std::string_view::npos ? std::string_view() : path.substr(0, i + 1);
  return go_clean(dir);
}

bool go_is_abs(std::string_view path) {
  return !path.empty() && path[0] == '/';
}

std::string process_cwd() {
  char buf[4096];
  if (getcwd(buf, sizeof buf)) return buf;
  return ".";
}

// The first line a shell command prints, without its newline; nullopt when
// it fails or prints nothing.
std::optional<std::string> command_line_output(const char* cmd) {
  FILE* p = popen(cmd, "r");
  if (!p) return std::nullopt;
  char buf[4096];
  std::string out;
  if (fgets(buf, sizeof buf, p)) out = buf;
  int status = pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (status != 0 || out.empty()) return std::nullopt;
  return out;
}

// homedir.Dir (mitchellh/go-homedir, as Packer uses it) on Unix: $HOME,
// else the sixth field of `getent passwd <uid>`, else `cd && pwd` in a
// shell. Done as Go does rather than with getpwuid_r, which a statically
// linked kiln could not call without glibc's NSS modules at run time.
std::optional<std::string> home_dir(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h);
  std::string cmd = "getent passwd " + std::to_string(getuid()) + " 2>/dev/null";
  if (auto line = command_line_output(cmd.c_str())) {
    // name:password:uid:gid:gecos:home:shell
    std::vector<std::string> f;
    std::stringstream ss(*line);
    for (std::string part; std::getline(ss, part, ':');) f.push_back(part);
    if (f.size() >= 6 && !f[5].empty()) return f[5];
  }
  if (auto dir = command_line_output("sh -c 'cd && pwd' 2>/dev/null")) return dir;
  return std::nullopt;
}

// homedir.Expand.
std::optional<std::string> expand_home(const std::string& path, const std::string& home,
                                       std::string* err) {
  if (path.empty() || path[0] != '~') return path;
  if (path.size() > 1 && path[1] != '/' && path[1] != '\\') {
    *err = "cannot expand user-specific home dir";
    return std::nullopt;
  }
  auto h = home_dir(home);
  if (!h) {
    *err = "blank output when reading home directory";
    return std::nullopt;
  }
  return go_join(*h, path.substr(1));
}

std::optional<std::string> read_file(const std::string& path, int* errnum) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *errnum = errno;
    return std::nullopt;
  }
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    *errnum = EISDIR;
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// file(): the path resolved against base_dir, "~" expanded.
std::optional<std::string> read_file_bytes(const std::string& base_dir, const std::string& p,
                                           const std::string& home, std::string* err) {
  std::string e;
  auto path = expand_home(p, home, &e);
  if (!path) {
    *err = "failed to expand ~: " + e;
    return std::nullopt;
  }
  std::string full = go_is_abs(*path) ? *path : go_join(base_dir, *path);
  full = go_clean(full);
  int errnum = 0;
  auto data = read_file(full, &errnum);
  if (!data) {
    if (errnum == ENOENT) {
      *err = "no file exists at " + full;
    } else {
      *err = "failed to read " + full;
    }
    return std::nullopt;
  }
  return data;
}

namespace {

// Go's fs.FileMode.String for a stat mode.
std::string go_mode_string(mode_t m) {
  std::string out;
  if (S_ISDIR(m)) out += 'd';
  if (S_ISLNK(m)) out += 'L';
  if (S_ISBLK(m)) out += 'D';
  if (S_ISFIFO(m)) out += 'p';
  if (S_ISSOCK(m)) out += 'S';
  if (m & S_ISUID) out += 'u';
  if (m & S_ISGID) out += 'g';
  if (S_ISCHR(m)) out += "Dc";
  if (m & S_ISVTX) out += 't';
  if (out.empty()) out = "-";
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) out += (m & (1u << (8 - i))) ? rwx[i] : '-';
  return out;
}

bool has_meta(std::string_view s) {
  return s.find_first_of("*?[{\\") != std::string_view::npos;
}

// Matches one path component against a doublestar (v1) component pattern:
// *, ?, [class], {alt,...} and \ escapes.
bool match_component(std::string_view pat, std::string_view name, bool* bad);

bool match_class(std::string_view& pat, char32_t c, bool* matched, bool* bad) {
  // pat starts after '['
  bool negate = false;
  if (!pat.empty() && (pat[0] == '^' || pat[0] == '!')) {
    negate = true;
    pat.remove_prefix(1);
  }
  bool found = false;
  bool first = true;
  while (true) {
    if (pat.empty()) {
      *bad = true;
      return false;
    }
    if (pat[0] == ']' && !first) {
      pat.remove_prefix(1);
      break;
    }
    first = false;
    size_t i = 0;
    char32_t lo;
    if (pat[0] == '\\') {
      i = 1;
      if (i >= pat.size()) {
        *bad = true;
        return false;
      }
    }
    lo = decode_rune(pat, i);
    pat.remove_prefix(i);
    char32_t hi = lo;
    if (pat.size() >= 2 && pat[0] == '-' && pat[1] != ']') {
      size_t k = 1;
      if (pat[1] == '\\') k = 2;
      if (k >= pat.size()) {
        *bad = true;
        return false;
      }
      hi = decode_rune(pat, k);
      pat.remove_prefix(k);
    }
    if (lo <= c && c <= hi) found = true;
  }
  *matched = found != negate;
  return true;
}

bool match_component(std::string_view pat, std::string_view name, bool* bad) {
  while (!pat.empty()) {
    char pc = pat[0];
    if (pc == '*') {
      while (!pat.empty() && pat[0] == '*') pat.remove_prefix(1);
      if (pat.empty()) return true;
      for (size_t i = 0; i <= name.size();) {
        if (match_component(pat, name.substr(i), bad)) return true;
        if (*bad) return false;
        if (i == name.size()) break;
        decode_rune(name, i);
      }
      return false;
    }
    if (pc == '{') {
      // alternatives up to the matching '}'
      size_t depth = 0, end = std::string_view::npos;
      std::vector<std::string_view> alts;
      size_t start = 1;
      for (size_t i = 0; i < pat.size(); ++i) {
        char c = pat[i];
        if (c == '\\') {
          ++i;
          continue;
        }
        if (c == '{') {
          ++depth;
        } else if (c == '}') {
          if (--depth == 0) {
            alts.push_back(pat.substr(start, i - start));
            end = i;
            break;
          }
        } else if (c == ',' && depth == 1) {
          alts.push_back(pat.substr(start, i - start));
          start = i + 1;
        }
      }
      if (end == std::string_view::npos) {
        *bad = true;
        return false;
      }
      std::string_view rest = pat.substr(end + 1);
      for (auto alt : alts) {
        std::string combined = std::string(alt) + std::string(rest);
        if (match_component(combined, name, bad)) return true;
        if (*bad) return false;
      }
      return false;
    }
    if (name.empty()) return false;
    size_t ni = 0;
    char32_t nc = decode_rune(name, ni);
    if (pc == '?') {
      pat.remove_prefix(1);
    } else if (pc == '[') {
      pat.remove_prefix(1);
      bool m = false;
      if (!match_class(pat, nc, &m, bad)) return false;
      if (!m) return false;
    } else {
      size_t pi = 0;
      if (pc == '\\') {
        pi = 1;
        if (pat.size() < 2) {
          *bad = true;
          return false;
        }
      }
      size_t pstart = pi;
      char32_t c = decode_rune(pat, pi);
      (void)pstart;
      if (c != nc) return false;
      pat.remove_prefix(pi);
    }
    name.remove_prefix(ni);
  }
  return name.empty();
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (auto* e = readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    out.push_back(std::move(n));
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

bool is_dir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void glob_rec(const std::string& base, const std::vector<std::string>& comps, size_t ci,
              std::vector<std::string>& out, bool* bad) {
  if (*bad) return;
  if (ci == comps.size()) {
    out.push_back(base);
    return;
  }
  const std::string& c = comps[ci];
  if (c == "**") {
    // zero directories
    glob_rec(base, comps, ci + 1, out, bad);
    for (const auto& n : list_dir(base)) {
      std::string p = base == "/" ? "/" + n : base + "/" + n;
      if (is_dir(p)) {
        glob_rec(p, comps, ci, out, bad);
      } else if (ci + 1 == comps.size()) {
        out.push_back(p);  // a trailing ** matches files at any depth
      }
    }
    return;
  }
  if (!has_meta(c)) {
    std::string p = base == "/" ? "/" + c : base + "/" + c;
    struct stat st;
    if (lstat(p.c_str(), &st) == 0) {
      if (ci + 1 == comps.size() || is_dir(p)) glob_rec(p, comps, ci + 1, out, bad);
    }
    return;
  }
  for (const auto& n : list_dir(base)) {
    if (!match_component(c, n, bad)) {
      if (*bad) return;
      continue;
    }
    std::string p = base == "/" ? "/" + n : base + "/" + n;
    if (ci + 1 == comps.size() || is_dir(p)) glob_rec(p, comps, ci + 1, out, bad);
  }
}

// doublestar.Glob for an absolute or relative, cleaned pattern.
std::optional<std::vector<std::string>> doublestar_glob(const std::string& pattern) {
  std::vector<std::string> comps;
  std::string base;
  size_t i = 0;
  if (!pattern.empty() && pattern[0] == '/') {
    base = "/";
    i = 1;
  } else {
    base = ".";
  }
  while (i <= pattern.size()) {
    size_t j = pattern.find('/', i);
    if (j == std::string::npos) j = pattern.size();
    if (j > i) comps.push_back(pattern.substr(i, j - i));
    i = j + 1;
  }
  // Static leading components join the base directly.
  size_t ci = 0;
  while (ci + 1 < comps.size() && !has_meta(comps[ci])) {
    base = base == "/" ? "/" + comps[ci] : (base == "." ? comps[ci] : base + "/" + comps[ci]);
    ++ci;
  }
  std::vector<std::string> rest(comps.begin() + static_cast<std::ptrdiff_t>(ci), comps.end());
  std::vector<std::string> out;
  bool bad = false;
  if (!is_dir(base) && !rest.empty()) return out;
  glob_rec(base, rest, 0, out, &bad);
  if (bad) return std::nullopt;
  for (auto& p : out) {
    if (p.rfind("./", 0) == 0 && base == ".") p = p.substr(2);
  }
  return out;
}

// filepath.Rel for two cleaned absolute-or-relative paths of the same kind.
std::string go_rel(const std::string& base, const std::string& target) {
  std::string b = go_clean(base), t = go_clean(target);
  if (b == ".") b.clear();
  auto split = [](const std::string& s) {
    std::vector<std::string> v;
    size_t i = 0;
    while (i <= s.size()) {
      size_t j = s.find('/', i);
      if (j == std::string::npos) j = s.size();
      if (j > i) v.push_back(s.substr(i, j - i));
      i = j + 1;
    }
    return v;
  };
  auto bv = split(b), tv = split(t);
  size_t k = 0;
  while (k < bv.size() && k < tv.size() && bv[k] == tv[k]) ++k;
  std::string out;
  for (size_t i = k; i < bv.size(); ++i) out += out.empty() ? ".." : "/..";
  for (size_t i = k; i < tv.size(); ++i) {
    if (!out.empty()) out += '/';
    out += tv[i];
  }
  return out.empty() ? "." : out;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t st = i;
    char32_t r = decode_rune(s, i);
    if (r == 0xFFFD && !(i - st == 3 && s.substr(st, 3) == "\xEF\xBF\xBD")) return false;
  }
  return true;
}

}  // namespace

void register_filesystem(FuncMap& m, const FuncsOptions& opts) {
  const std::string base = opts.path_root;
  const std::string home = opts.home;
  const std::string cwd = opts.cwd;

  m["abspath"] = make_function(
      {param("path", Type::string())}, std::nullopt, static_type(Type::string()),
      [cwd](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        const std::string& p = a[0].as_string();
        std::string abs =
            go_is_abs(p) ? go_clean(p) : go_join(cwd.empty() ? process_cwd() : cwd, p);
        return Value::string(abs);
      });
  m["basename"] =
      make_function({param("path", Type::string())}, std::nullopt, static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
                      return Value::string(go_base(a[0].as_string()));
                    });
  m["dirname"] =
      make_function({param("path", Type::string())}, std::nullopt, static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
                      return Value::string(go_dir(a[0].as_string()));
                    });
  m["pathexpand"] =
      make_function({param("path", Type::string())}, std::nullopt, static_type(Type::string()),
                    [home](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      std::string e;
                      auto p = expand_home(a[0].as_string(), home, &e);
                      if (!p) return fail(err, e);
                      return Value::string(*p);
                    });

  m["file"] = make_function(
      {param("path", Type::string())}, std::nullopt, static_type(Type::string()),
      [base, home](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const std::string& p = a[0].as_string();
        std::string e;
        auto data = read_file_bytes(base, p, home, &e);
        if (!data) return fail(err, e);
        if (!valid_utf8(*data)) {
          return fail(err, "contents of " + p +
                               " are not valid UTF-8; use the filebase64 function to obtain the "
                               "Base64 encoded contents or the other file functions (e.g. "
                               "filemd5, filesha256) to obtain file hashing results instead");
        }
        return Value::string(std::move(*data));
      });

  m["filebase64"] = make_function(
      {param("path", Type::string())}, std::nullopt, static_type(Type::string()),
      [cwd](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const std::string& p = a[0].as_string();
        std::string full = go_is_abs(p) || cwd.empty() ? p : go_join(cwd, p);
        int errnum = 0;
        auto data = read_file(full, &errnum);
        if (!data) {
          std::string reason = errnum == EISDIR ? "is a directory" : std::strerror(errnum);
          if (errnum == ENOENT) reason = "no such file or directory";
          if (errnum == EACCES) reason = "permission denied";
          std::string op = errnum == EISDIR ? "read " : "open ";
          return fail(err, "failed to read file " + go_quote(p) + ": " + op + p + ": " + reason);
        }
        static const char tbl[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string out;
        const std::string& in = *data;
        size_t i = 0;
        for (; i + 2 < in.size(); i += 3) {
          uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
          out += tbl[v >> 18];
          out += tbl[(v >> 12) & 63];
          out += tbl[(v >> 6) & 63];
          out += tbl[v & 63];
        }
        if (i < in.size()) {
          uint32_t v = uint8_t(in[i]) << 16;
          if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
          out += tbl[v >> 18];
          out += tbl[(v >> 12) & 63];
          out += i + 1 < in.size() ? tbl[(v >> 6) & 63] : '=';
          out += '=';
        }
        return Value::string(std::move(out));
      });

  m["fileexists"] = make_function(
      {param("path", Type::string())}, std::nullopt, static_type(Type::boolean()),
      [base, home](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        std::string e;
        auto p = expand_home(a[0].as_string(), home, &e);
        if (!p) return fail(err, "failed to expand ~: " + e);
        std::string path = go_is_abs(*p) ? *p : go_join(base, *p);
        path = go_clean(path);
        struct stat st;
        if (stat(path.c_str(), &st) != 0) {
          if (errno == ENOENT || errno == ENOTDIR) return Value::boolean(false);
          return fail(err, "failed to stat " + path);
        }
        if (S_ISREG(st.st_mode)) return Value::boolean(true);
        return fail(err,
                    path + " is not a regular file, but " + go_quote(go_mode_string(st.st_mode)));
      });

  m["fileset"] = make_function(
      {param("path", Type::string()), param("pattern", Type::string())}, std::nullopt,
      static_type(Type::set(Type::string())),
      [base](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        std::string path = a[0].as_string();
        if (!go_is_abs(path)) path = go_join(base, path);
        std::string pattern = go_join(path, a[1].as_string());
        auto matches = doublestar_glob(pattern);
        if (!matches) {
          return fail(err, "failed to glob pattern (" + pattern + "): syntax error in pattern");
        }
        std::vector<Value> vals;
        for (const auto& mt : *matches) {
          struct stat st;
          if (stat(mt.c_str(), &st) != 0) {
            return fail(err, "failed to stat (" + mt + "): " + std::strerror(errno));
          }
          if (!S_ISREG(st.st_mode)) continue;
          vals.push_back(Value::string(go_rel(path, mt)));
        }
        if (vals.empty()) return Value::set_empty(Type::string());
        return Value::set(std::move(vals));
      });
}

}  // namespace kiln::funcs
