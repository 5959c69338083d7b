// upload_bench [GiB-of-data]: throughput of kiln's upload stream against
// OpenSSH by hand, on the same loopback sshd (sshd_fixture), writing to a
// file. The image is 2x the data in size: the data (random, so compression
// cannot flatter either side) followed by a hole. Compressed with zstd, it
// goes through both paths:
//   kiln:     libssh streaming stdin -> `zstd -dc | dd ... conv=sparse; sync`
//   baseline: `ssh host 'zstd -dc | dd ... conv=sparse; sync' < image.zst`
// (the same remote pipeline, so only the transport differs), alternated,
// three runs each, medians reported; also the raw and qcow2 (extent stream)
// paths, and the largest remote process's peak RSS (GNU time) per path.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "ssh/client.h"
#include "ssh/sshd_fixture.h"
#include "upload/image_input.h"
#include "upload/remote_command.h"
#include "upload/writer.h"

namespace {

using Clock = std::chrono::steady_clock;

int sh(const std::string& cmd, std::string* out = nullptr) {
  return ssh::testing::run_command({"bash", "-c", cmd}, out);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  double gib = argc > 1 ? std::atof(argv[1]) : 1.0;
  auto data_bytes = static_cast<unsigned long long>(gib * (1ull << 30));
  std::string err;
  auto sshd = ssh::testing::Sshd::start({}, &err);
  if (!sshd) {
    std::fprintf(stderr, "sshd: %s\n", err.c_str());
    return 1;
  }
  ssh::testing::TempDir dir;
  std::string raw = dir.path() + "/image.raw", zst = raw + ".zst", q = dir.path() + "/image.qcow2";
  std::string target = dir.path() + "/sda";
  std::printf("making a %.1f GiB image with %.1f GiB of random data...\n", 2 * gib, gib);
  if (sh("head -c " + std::to_string(data_bytes) + " /dev/urandom > " + raw + " && truncate -s " +
         std::to_string(2 * data_bytes) + " " + raw + " && zstd -q -1 -T0 -c " + raw + " > " + zst +
         " && qemu-img convert -O qcow2 " + raw + " " + q) != 0) {
    std::fprintf(stderr, "could not make the images\n");
    return 1;
  }
  ssh::Config c;
  c.host = "127.0.0.1";
  c.port = sshd->port();
  c.auth.user = sshd->user();
  c.auth.private_key_file = sshd->client_key();
  auto client = ssh::Client::connect(c);
  if (!client.ok()) {
    std::fprintf(stderr, "%s\n", client.error().to_string().c_str());
    return 1;
  }
  upload::WriterSpec plain;
  plain.compression = upload::Compression::kZstd;
  plain.device = target;
  // The baseline runs the very same remote command line.
  std::string baseline = "ssh -p " + std::to_string(sshd->port()) + " -i " + sshd->client_key() +
                         " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o "
                         "BatchMode=yes -o LogLevel=ERROR " +
                         sshd->user() + "@127.0.0.1 " +
                         upload::shell_quote(upload::writer_command(plain)) + " < " + zst;
  auto fresh = [&] {
    sh("rm -f " + target + " && truncate -s " + std::to_string(2 * data_bytes) + " " + target);
  };
  auto kiln_run = [&](const std::string& path) -> double {
    fresh();
    upload::PreparedImage img;
    std::string e;
    if (!upload::prepare_image({path, {}, {}}, &img, &e)) {
      std::fprintf(stderr, "%s\n", e.c_str());
      std::exit(1);
    }
    upload::WriteOptions o;
    o.device = target;
    auto t0 = Clock::now();
    if (!upload::write_image(**client, img, o, &e)) {
      std::fprintf(stderr, "%s\n", e.c_str());
      std::exit(1);
    }
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  auto base_run = [&]() -> double {
    fresh();
    auto t0 = Clock::now();
    if (sh(baseline) != 0) {
      std::fprintf(stderr, "baseline failed\n");
      std::exit(1);
    }
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  auto check = [&](const char* what) {
    if (sh("cmp -s " + raw + " " + target) != 0) {
      std::fprintf(stderr, "%s: the target differs from the image\n", what);
      std::exit(1);
    }
  };
  std::vector<double> k, b;
  for (int i = 0; i < 3; ++i) {
    b.push_back(base_run());
    check("baseline");
    k.push_back(kiln_run(zst));
    check("kiln zstd");
  }
  double mib = static_cast<double>(2 * data_bytes) / (1 << 20);
  double bm = median(b), km = median(k);
  std::printf("image: %.0f MiB (zstd file %.0f MiB)\n", mib,
              static_cast<double>(std::filesystem::file_size(zst)) / (1 << 20));
  std::printf("baseline ssh|zstd -dc|dd : %6.2f s  %7.1f MiB/s of disk\n", bm, mib / bm);
  std::printf("kiln upload stream (zstd): %6.2f s  %7.1f MiB/s of disk  ratio %.2f\n", km, mib / km,
              bm / km);
  double kr = kiln_run(raw);
  check("kiln raw");
  std::printf("kiln raw (extent stream) : %6.2f s  %7.1f MiB/s of disk\n", kr, mib / kr);
  double kq = kiln_run(q);
  check("kiln qcow2");
  std::printf("kiln qcow2 (extents)     : %6.2f s  %7.1f MiB/s of disk\n", kq, mib / kq);

  // Peak RSS of the largest remote process, per writer kind.
  for (bool extents : {false, true}) {
    upload::WriterSpec spec = plain;
    spec.extents = extents;
    if (extents) spec.compression = upload::Compression::kNone;
    fresh();
    upload::PreparedImage img;
    std::string e;
    upload::prepare_image({extents ? q : zst, {}, {}}, &img, &e);
    ssh::ExecOptions o;
    std::string rss;
    o.on_stderr = [&](std::string_view l) { rss = std::string(l); };
    o.stdin_source = [&](char* buf, std::size_t cap) { return img.bytes->read(buf, cap); };
    auto r = (*client)->exec("/usr/bin/time -f %M " + upload::writer_command(spec), o);
    std::printf("remote peak RSS (%s): %s KiB\n", extents ? "qcow2 extents" : "zstd", rss.c_str());
    (void)r;
  }
  return 0;
}
