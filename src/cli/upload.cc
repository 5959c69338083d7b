// `kiln upload`: turns a local disk image (raw or qcow2; gz, bz2, xz, zstd)
// or an image URL into a Hetzner snapshot. The flags are those of
// hcloud-upload-image's `upload`, with --force and --endpoint added. The run
// is journaled like a build, so `kiln cleanup` covers a killed upload.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stop_token>

#include "builders/hcloud_upload.h"
#include "cli/commands.h"
#include "cli/template_cmd.h"
#include "engine/journal.h"
#include "engine/signals.h"
#include "engine/uuid.h"
#include "upload/upload.h"

namespace kiln::cli {

namespace {

constexpr const char* kHelp =
    "Usage: kiln upload (--image-path=FILE | --image-url=URL) [options]\n"
    "\n"
    "  Turns a disk image into a Hetzner Cloud snapshot: a temporary 40 GB server\n"
    "  in rescue mode receives the image over SSH (or fetches the URL), writes it\n"
    "  sparsely to its disk, and is snapshotted and deleted. Compressed raw images\n"
    "  are decompressed on the server; qcow2 is read here and sent as raw data.\n"
    "  A snapshot labelled with the same content hash (kiln.sha256) is reused.\n"
    "  The token comes from HCLOUD_TOKEN, the API from HCLOUD_ENDPOINT.\n"
    "\n"
    "Options:\n"
    "\n"
    "  -image-path=FILE          The local image.\n"
    "  -image-url=URL            An image the server downloads (must be reachable from it).\n"
    "  -architecture=x86|arm     Server architecture (default x86: cx23; arm: cax11).\n"
    "  -server-type=TYPE         Instead of -architecture (for images above 40 GB).\n"
    "  -compression=none|gz|bz2|xz|zstd  Default: detected from the file.\n"
    "  -format=raw|qcow2         Default: detected from the file.\n"
    "  -location=NAME            Where the server runs (default: the API chooses).\n"
    "  -description=TEXT         The snapshot's description.\n"
    "  -labels=k=v,...           The snapshot's labels.\n"
    "  -force                    Upload even if a snapshot of this image exists.\n"
    "  -endpoint=URL             The API (default: HCLOUD_ENDPOINT or the public API).\n";

}  // namespace

int cmd_upload(const Args& raw_args) {
  Args args = raw_args;
  bool machine = extract_machine_readable(args);
  Ui ui(machine);
  ParsedFlags f = parse_flags(args, {{"image-path", false},
                                     {"image-url", false},
                                     {"architecture", false},
                                     {"server-type", false},
                                     {"compression", false},
                                     {"format", false},
                                     {"location", false},
                                     {"description", false},
                                     {"labels", false},
                                     {"force", true},
                                     {"endpoint", false}});
  if (f.help) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (!f.error.empty() || !f.positional.empty()) {
    std::fputs(kHelp, stdout);
    if (!f.error.empty()) ui.error(f.error);
    return 1;
  }
  auto get = [&](const char* n) { return f.has(n) ? f.values.at(n).back() : std::string(); };
  upload::UploadOptions o;
  o.input.path = get("image-path");
  o.image_url = get("image-url");
  o.architecture = get("architecture");
  o.server_type = get("server-type");
  o.location = get("location");
  o.description = get("description");
  o.force = f.get_bool("force");
  if (f.has("compression")) {
    auto c = upload::parse_compression(get("compression"));
    if (!c) {
      ui.error("Error: -compression must be none, gz, bz2, xz or zstd, not \"" +
               get("compression") + "\"");
      return 1;
    }
    o.input.compression = *c;
    o.url_compression = *c;
  }
  if (f.has("format")) {
    auto fm = upload::parse_format(get("format"));
    if (!fm) {
      ui.error("Error: -format must be raw or qcow2, not \"" + get("format") + "\"");
      return 1;
    }
    o.input.format = *fm;
    if (*fm == upload::Format::kQcow2 && !o.image_url.empty()) {
      ui.error(
          "Error: qcow2 images are parsed by kiln, so they must be local: download it and "
          "pass -image-path (or convert it to raw)");
      return 1;
    }
  }
  std::string err;
  if (f.has("labels") && !upload::parse_labels(get("labels"), &o.labels, &err)) {
    ui.error("Error: -labels: " + err);
    return 1;
  }
  const char* token = std::getenv("HCLOUD_TOKEN");
  if (!token || !*token) {
    ui.error("Error: HCLOUD_TOKEN must be set to the token of the project to upload to");
    return 1;
  }
  hcloud::ClientOptions co;
  if (f.has("endpoint")) co.endpoint = get("endpoint");
  hcloud::Client client(co);

  o.run_id = engine::new_uuid();
  o.terminal = !machine && ::isatty(2);
  // Flushed line by line: progress must reach CI logs while it happens.
  o.say = [&](const std::string& s) {
    ui.say("==> upload: " + s);
    std::fflush(stdout);
  };
  auto journal = engine::Journal::open(engine::state_dir(), o.run_id, &err);
  if (!journal)
    ui.say("Warning: no run journal (" + err + "); kiln cleanup will go by labels only");
  const std::string endpoint = client.endpoint();
  if (journal) o.hooks = builders::journal_hooks(journal.get(), endpoint, "upload");
  std::stop_source stop;
  o.stop = stop.get_token();
  engine::SignalWatch signals([&](int count, int signo) {
    if (count == 1)
      ui.say(std::string("Cancelling the upload after ") + engine::signal_text(signo) +
             "; cleaning up...");
    stop.request_stop();
  });

  upload::UploadResult r;
  bool ok = upload::run_upload(client, o, &r, &err);
  if (journal) journal->finish();
  if (!ok) {
    ui.error("Error: " + err);
    return 1;
  }
  if (r.reused) {
    ui.say("Snapshot (reused): " + std::to_string(r.image_id));
  } else {
    ui.say("Snapshot: " + std::to_string(r.image_id) +
           (r.hash_label.empty() ? "" : " (kiln.sha256=" + r.hash_label + ")"));
  }
  if (machine) ui.machine("artifact", {"0", "id", std::to_string(r.image_id)});
  return 0;
}

}  // namespace kiln::cli
