// kiln hcldec: HashiCorp's cmd/hcldec (decode HCL files with a spec file
// and print the result as JSON), with the same flags, outputs and exit codes.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "hcl/diagnostic_text.h"
#include "hcl/json_syntax.h"
#include "hcl/parse.h"
#include "hcl/scan_context.h"
#include "hcl/traversal.h"
#include "hcldec/json_out.h"
#include "hcldec/merged.h"
#include "hcldec/spec.h"
#include "hcldec/spec_file.h"

namespace kiln::cli {

namespace {

using hcl::Diagnostics;
using hcl::Range;
using hcl::Value;

constexpr const char* kVersion = "0.0.1-dev";

struct Options {
  std::string spec, out, diags_format;
  bool var_refs = false, with_type = false, version = false, keep_nulls = false;
  std::vector<std::string> vars;
  std::vector<std::string> files;
};

void usage() {
  std::fputs(
      "usage: hcldec --spec=<spec-file> [options] [hcl-file ...]\n"
      "      --diags string        format any returned diagnostics in the given format; "
      "currently only \"json\" is accepted\n"
      "      --keep-nulls          retain object properties that have null as their value (they "
      "are removed by default)\n"
      "  -o, --out string          write to the given file, instead of stdout\n"
      "  -s, --spec string         path to spec file (required)\n"
      "      --var-refs            rather than decoding input, produce a JSON description of the "
      "variables referenced by it\n"
      "  -V, --vars json-or-file   provide variables to the given configuration file(s)\n"
      "  -v, --version             show the version number and immediately exit\n"
      "      --with-type           include an additional object level at the top describing the "
      "HCL-oriented type of the result value\n",
      stderr);
}

std::optional<bool> parse_go_bool(const std::string& s) {
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False")
    return false;
  return std::nullopt;
}

// pflag's parsing: long and short flags anywhere among the arguments, "--"
// ends them. Returns an error message (pflag's) or "" for -h.
std::optional<std::string> parse_flags(const Args& args, Options& o, bool* help) {
  struct Flag {
    const char* name;
    char shorthand;
    bool is_bool;
  };
  static const Flag kFlags[] = {{"spec", 's', false},    {"out", 'o', false},
                                {"diags", 0, false},     {"var-refs", 0, true},
                                {"with-type", 0, true},  {"version", 'v', true},
                                {"keep-nulls", 0, true}, {"vars", 'V', false}};
  auto set = [&](const Flag& f, const std::string& v) {
    std::string n = f.name;
    if (n == "spec")
      o.spec = v;
    else if (n == "out")
      o.out = v;
    else if (n == "diags")
      o.diags_format = v;
    else if (n == "vars")
      o.vars.push_back(v);
  };
  auto set_bool = [&](const Flag& f, bool b) {
    std::string n = f.name;
    if (n == "var-refs")
      o.var_refs = b;
    else if (n == "with-type")
      o.with_type = b;
    else if (n == "version")
      o.version = b;
    else if (n == "keep-nulls")
      o.keep_nulls = b;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      o.files.insert(o.files.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      o.files.push_back(a);
      continue;
    }
    if (a[1] == '-') {
      std::string name = a.substr(2), value;
      bool has_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      if (name == "help") {
        *help = true;
        return std::string();
      }
      const Flag* f = nullptr;
      for (const auto& k : kFlags)
        if (name == k.name) f = &k;
      if (!f) return "unknown flag: --" + name;
      if (f->is_bool) {
        auto b = has_value ? parse_go_bool(value) : std::optional<bool>(true);
        if (!b)
          return "invalid argument \"" + value + "\" for \"--" + name +
                 "\" flag: strconv.ParseBool: parsing \"" + value + "\": invalid syntax";
        set_bool(*f, *b);
      } else if (has_value) {
        set(*f, value);
      } else if (i + 1 < args.size()) {
        set(*f, args[++i]);
      } else {
        return "flag needs an argument: --" + name;
      }
      continue;
    }
    // Shorthand flags, possibly combined (-vs file, -sfile).
    for (size_t k = 1; k < a.size(); ++k) {
      char c = a[k];
      if (c == 'h') {
        *help = true;
        return std::string();
      }
      const Flag* f = nullptr;
      for (const auto& fl : kFlags)
        if (fl.shorthand == c) f = &fl;
      if (!f) return std::string("unknown shorthand flag: '") + c + "' in " + a;
      if (f->is_bool) {
        if (k + 1 < a.size() && a[k + 1] == '=') {
          std::string v = a.substr(k + 2);
          auto b = parse_go_bool(v);
          if (!b)
            return "invalid argument \"" + v + "\" for \"-" + std::string(1, c) + ", --" + f->name +
                   "\" flag: strconv.ParseBool: parsing \"" + v + "\": invalid syntax";
          set_bool(*f, *b);
          break;
        }
        set_bool(*f, true);
        continue;
      }
      if (k + 1 < a.size()) {
        std::string v = a.substr(k + 1);
        if (v[0] == '=') v = v.substr(1);
        set(*f, v);
      } else if (i + 1 < args.size()) {
        set(*f, args[++i]);
      } else {
        return std::string("flag needs an argument: '") + c + "' in -" + std::string(1, c);
      }
      break;
    }
  }
  return std::nullopt;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return data;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The files parsed so far, for source snippets in text diagnostics.
using Files = std::map<std::string, std::string>;
// The bodies of the JSON files among them, for their context strings.
std::map<std::string, hcl::BodyPtr> g_json_bodies;

// hclparse's ParseHCLFile / ParseJSONFile.
std::optional<hcl::File> parse_path(const std::string& filename, Files& files, Diagnostics& diags) {
  auto src = read_file(filename);
  bool json = ends_with(filename, ".json");
  if (!src) {
    if (json)
      diags.error("Failed to open file", "The file \"" + filename + "\" could not be opened.",
                  std::nullopt);
    else
      diags.error("Failed to read file",
                  "The configuration file \"" + filename + "\" could not be read.", std::nullopt);
    return std::nullopt;
  }
  files[filename] = *src;
  if (json) {
    hcl::File f = hcl::parse_json_file(std::move(*src), filename, diags);
    g_json_bodies[filename] = f.body;
    return f;
  }
  return hcl::parse_native_file(std::move(*src), filename, diags);
}

// vars.go: the attributes of a vars body, evaluated without a context.
std::map<std::string, Value> vars_from_body(const hcl::Body& body, Diagnostics& diags) {
  std::map<std::string, Value> out;
  hcl::Attributes attrs = body.just_attributes(diags);
  for (const auto& [name, attr] : attrs) out[name] = attr.expr->value(nullptr, diags);
  return out;
}

std::string range_json(const Range& r) {
  auto pos = [](const hcl::Pos& p) {
    return "{\"line\":" + std::to_string(p.line) + ",\"column\":" + std::to_string(p.column) +
           ",\"byte\":" + std::to_string(p.byte) + "}";
  };
  return "{\"filename\":" + hcldec::go_json_quote(r.filename) + ",\"start\":" + pos(r.start) +
         ",\"end\":" + pos(r.end) + "}";
}

std::string diags_json(const Diagnostics& diags) {
  std::string out = "{\"diagnostics\":[";
  bool first = true;
  for (const auto& d : diags) {
    if (!first) out += ',';
    first = false;
    out += "{\"severity\":";
    out += d.severity == hcl::Severity::Error ? "\"error\"" : "\"warning\"";
    out += ",\"summary\":" + hcldec::go_json_quote(d.summary);
    if (!d.detail.empty()) out += ",\"detail\":" + hcldec::go_json_quote(d.detail);
    if (d.subject) out += ",\"subject\":" + range_json(*d.subject);
    out += '}';
  }
  out += "]}";
  return hcldec::go_json_indent(out, "  ") + "\n";
}

struct DiagWriter {
  // hcl's text writer names the enclosing block ("in source "a" "b"").
  std::string context(const hcl::Diagnostic& d) const {
    if (!d.subject || !files) return {};
    std::string name(d.subject->filename);
    if (auto it = g_json_bodies.find(name); it != g_json_bodies.end()) {
      if (!it->second) return {};
      return hcl::json::context_string(*it->second, d.subject->start.byte);
    }
    auto it = files->find(name);
    if (it == files->end()) return {};
    return hcl::native_context_string(it->second, d.subject->start.byte);
  }

  bool json = false;
  unsigned width = 80;
  bool color = false;
  const Files* files = nullptr;

  void write(const Diagnostics& diags) const {
    if (diags.empty()) return;
    std::string text;
    if (json) {
      text = diags_json(diags);
    } else {
      for (const auto& d : diags)
        text += hcl::render_diagnostic(d, files, width, color, context(d));
    }
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  }
};

// hcl.Traversal.TraverseAbs, for the best-effort values of --var-refs.
std::optional<Value> traverse_abs(const hcl::Traversal& t, const hcl::EvalContext* ctx) {
  if (!ctx || t.steps.empty()) return std::nullopt;
  const Value* root = ctx->find_variable(t.root_name());
  if (!root) return std::nullopt;
  Diagnostics d;
  Value v = hcl::apply_traversal_steps(*root, t.steps, 1, d);
  if (d.has_errors()) return std::nullopt;
  return v;
}

std::string var_refs_json(const std::vector<hcl::Traversal>& vars, const hcl::EvalContext* ctx) {
  std::string out = "[";
  bool first = true;
  for (const auto& t : vars) {
    if (!first) out += ',';
    first = false;
    std::string root_name;
    std::string steps = "[";
    bool first_step = true;
    for (const auto& s : t.steps) {
      if (!first_step) steps += ',';
      first_step = false;
      steps += "{\"kind\":";
      switch (s.kind) {
        case hcl::TraversalStep::Kind::Root:
          root_name = s.name;
          steps += "\"root\",\"name\":" + hcldec::go_json_quote(s.name);
          break;
        case hcl::TraversalStep::Kind::Attr:
          steps += "\"attr\"";
          if (!s.name.empty()) steps += ",\"name\":" + hcldec::go_json_quote(s.name);
          break;
        case hcl::TraversalStep::Kind::Index: {
          steps += "\"index\"";
          std::string err;
          if (auto k = hcl::value_to_json(s.key, &err); k && !k->empty()) steps += ",\"key\":" + *k;
          break;
        }
        default:
          steps += "\"(unknown)\"";
      }
      steps += ",\"range\":" + range_json(s.src_range) + "}";
    }
    steps += "]";
    out += "{\"root_name\":" + hcldec::go_json_quote(root_name);
    if (auto v = traverse_abs(t, ctx)) {
      std::string err;
      if (auto j = hcl::value_to_json(*v, &err); j && !j->empty()) out += ",\"value\":" + *j;
    }
    out += ",\"steps\":" + steps + ",\"range\":" + range_json(t.source_range()) + "}";
  }
  out += "]";
  return hcldec::go_json_indent(out, "  ");
}

// Writes the result to --out or stdout; false (with the message in *err)
// when the file cannot be opened.
bool emit(const Options& o, const std::string& text, std::string* err) {
  std::string line = text + "\n";
  if (o.out.empty()) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  int fd = ::open(o.out.c_str(), O_TRUNC | O_CREAT | O_WRONLY, 0777);
  if (fd < 0) {
    *err = "can't open " + o.out + " for writing: open " + o.out + ": " + std::strerror(errno);
    // Go's messages are lower-case (syscall.Errno strings).
    for (size_t i = err->size() - std::strlen(std::strerror(errno)); i < err->size(); ++i) {
      (*err)[i] = static_cast<char>(std::tolower(static_cast<unsigned char>((*err)[i])));
      break;
    }
    return false;
  }
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::write(fd, line.data() + off, line.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  return true;
}

// Everything a run builds: the syntax trees, the spec and the result. At
// exit a one-shot command need not free them one node at a time (that took
// a sixth of the run time on a 1 MB input), so they are released to the
// operating system with the process, except under AddressSanitizer, whose
// leak checker wants them freed.
struct RunState {
  Files files;
  hcldec::SpecFile spec;
  hcl::EvalContext ctx;
  std::vector<hcl::File> parsed;
  std::vector<hcl::BodyPtr> bodies;
  hcl::BodyPtr body;
  Value val;
};

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILN_HCLDEC_FREE_AT_EXIT 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define KILN_HCLDEC_FREE_AT_EXIT 1
#endif

class RunStateHolder {
 public:
  RunStateHolder() : state_(new RunState) {}
  ~RunStateHolder() {
#ifdef KILN_HCLDEC_FREE_AT_EXIT
    delete state_;
#endif
  }
  RunStateHolder(const RunStateHolder&) = delete;
  RunStateHolder& operator=(const RunStateHolder&) = delete;
  RunState& operator*() {
    return *state_;
  }

 private:
  RunState* state_;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "Error: %s\n\n", msg.c_str());
  return 1;
}

}  // namespace

int cmd_hcldec(const Args& args) {
  Options o;
  bool help = false;
  if (auto err = parse_flags(args, o, &help)) {
    if (!help) std::fprintf(stderr, "%s\n", err->c_str());
    usage();
    return 2;
  }
  if (o.version) {
    std::printf("%s\n", kVersion);
    return 0;
  }

  RunStateHolder holder;
  RunState& st = *holder;
  Files& files = st.files;
  DiagWriter writer;
  writer.files = &files;
  if (o.diags_format == "json") {
    writer.json = true;
  } else if (o.diags_format.empty()) {
    writer.color = ::isatty(STDERR_FILENO) != 0;
    struct winsize ws {};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) writer.width = ws.ws_col;
  } else {
    std::fprintf(stderr, "Invalid diagnostics format \"%s\": only \"json\" is supported.\n",
                 o.diags_format.c_str());
    return 2;
  }

  if (o.spec.empty()) return fail("the --spec=... argument is required");

  Diagnostics diags;
  if (auto src = read_file(o.spec)) files[o.spec] = *src;
  st.spec = hcldec::load_spec_file(o.spec, diags);
  const hcldec::SpecFile& spec = st.spec;
  if (diags.has_errors()) {
    writer.write(diags);
    return 2;
  }

  hcl::EvalContext& ctx_storage = st.ctx;
  ctx_storage.variables = spec.variables;
  ctx_storage.functions = spec.functions;
  for (size_t i = 0; i < o.vars.size(); ++i) {
    const std::string& v = o.vars[i];
    size_t first = v.find_first_not_of(" \t\r\n\v\f");
    std::map<std::string, Value> vals;
    if (first != std::string::npos && v[first] == '{') {
      std::string name = "<vars argument " + std::to_string(i) + ">";
      files[name] = v;
      hcl::File f = hcl::parse_json_file(v, name, diags);
      g_json_bodies[name] = f.body;
      if (f.body) vals = vars_from_body(*f.body, diags);
    } else if (auto f = parse_path(v, files, diags)) {
      if (f->body) vals = vars_from_body(*f->body, diags);
    }
    for (auto& [k, val] : vals) ctx_storage.variables[k] = std::move(val);
  }
  const hcl::EvalContext* ctx =
      ctx_storage.variables.empty() && ctx_storage.functions.empty() ? nullptr : &ctx_storage;

  std::vector<hcl::BodyPtr>& bodies = st.bodies;
  std::vector<hcl::File>& parsed = st.parsed;
  if (o.files.empty()) {
    std::string src((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    files["<stdin>"] = src;
    Diagnostics fd;
    hcl::File f = hcl::parse_native_file(std::move(src), "<stdin>", fd);
    bool bad = fd.has_errors();
    diags.append(fd);
    if (!bad && f.body) bodies.push_back(f.body);
    parsed.push_back(std::move(f));
  } else {
    for (const auto& name : o.files) {
      Diagnostics fd;
      auto f = parse_path(name, files, fd);
      bool bad = fd.has_errors();
      diags.append(fd);
      if (f && !bad && f->body) bodies.push_back(f->body);
      if (f) parsed.push_back(std::move(*f));
    }
  }
  if (diags.has_errors()) {
    writer.write(diags);
    return 2;
  }

  hcl::BodyPtr& body = st.body;
  if (bodies.empty())
    body = hcldec::empty_body();
  else if (bodies.size() == 1)
    body = bodies[0];
  else
    body = hcldec::merge_bodies(bodies);

  std::string err;
  if (o.var_refs) {
    auto vars = hcldec::variables(*body, *spec.root);
    if (!emit(o, var_refs_json(vars, ctx), &err)) return fail(err);
    return 0;
  }

  st.val = hcldec::decode(*body, *spec.root, ctx, diags);
  const Value& val = st.val;
  if (diags.has_errors()) {
    writer.write(diags);
    return 2;
  }

  auto json = hcl::value_to_json(val, &err);
  if (!json) return fail(err);
  std::string out = std::move(*json);
  // ctyjson writes a null as null before it would add the type wrapper.
  if (o.with_type && !val.is_null())
    out = "{\"value\":" + out + ",\"type\":" + val.type().json() + "}";
  if (!o.keep_nulls) out = hcldec::strip_json_nulls(out);
  if (!emit(o, out, &err)) return fail(err);
  return 0;
}

}  // namespace kiln::cli
