// The writer end to end over a real sshd: every input kind streamed through
// SSH stdin into a file standing in for /dev/sda gives the disk's bytes;
// --image-url fetches from an HTTP server on loopback.
#include "upload/writer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "ssh/sshd_fixture.h"

namespace upload {
namespace {

using namespace std::chrono_literals;
using ssh::testing::Sshd;
using ssh::testing::TempDir;

int sh(const std::string& cmd, std::string* out = nullptr) {
  return ssh::testing::run_command({"bash", "-c", cmd}, out);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Serves one file over HTTP/1.0 on 127.0.0.1 until destroyed.
class HttpFile {
 public:
  explicit HttpFile(std::string body) : body_(std::move(body)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    listen(fd_, 4);
    thread_ = std::thread([this] {
      for (;;) {
        int c = accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::string req;
        char buf[4096];
        while (req.find("\r\n\r\n") == std::string::npos) {
          ssize_t n = read(c, buf, sizeof buf);
          if (n <= 0) break;
          req.append(buf, static_cast<std::size_t>(n));
        }
        ++requests_;
        bool found = req.rfind("GET /image ", 0) == 0;
        std::string head =
            found
                ? "HTTP/1.0 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n"
                : "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        std::string all = head + (found ? body_ : "");
        std::size_t off = 0;
        while (off < all.size()) {
          ssize_t n =
              send(c, all.data() + off, all.size() - off, MSG_NOSIGNAL);  // EPIPE, not SIGPIPE
          if (n <= 0) break;
          off += static_cast<std::size_t>(n);
        }
        close(c);
      }
    });
  }
  ~HttpFile() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string url(const std::string& path = "/image") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int requests() const { return requests_; }

 private:
  std::string body_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

class Writer : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why = ssh::testing::ensure_openssh();
    if (!why.empty() || sh("command -v qemu-img >/dev/null") != 0) {
      if (ssh::testing::under_ci()) FAIL() << "sshd or qemu-img missing: " << why;
      GTEST_SKIP() << "sshd or qemu-img missing: " << why;
    }
    std::string err;
    sshd = Sshd::start({}, &err);
    ASSERT_TRUE(sshd) << err;
    ssh::Config c;
    c.host = "127.0.0.1";
    c.port = sshd->port();
    c.auth.user = sshd->user();
    c.auth.private_key_file = sshd->client_key();
    c.timeout = 30s;
    c.retry_interval = 100ms;
    auto r = ssh::Client::connect(c);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    client = std::move(r).value();
    raw = dir.path() + "/disk.raw";
    // 48 MiB: random data, a long run of zeros, text, a hole, data at the end.
    ASSERT_EQ(sh("truncate -s 48M " + raw + " && head -c 3M /dev/urandom | dd of=" + raw +
                 " conv=notrunc status=none && yes kiln | head -c 5M | dd of=" + raw +
                 " bs=1M seek=20 conv=notrunc status=none && head -c 123457 /dev/urandom | dd of=" +
                 raw + " bs=1 seek=50208191 conv=notrunc status=none"),
              0);
    target = dir.path() + "/sda";
  }
  void fresh_target() { ASSERT_EQ(sh("rm -f " + target + " && truncate -s 48M " + target), 0); }

  TempDir dir;
  std::unique_ptr<Sshd> sshd;
  std::unique_ptr<ssh::Client> client;
  std::string raw, target;
};

TEST_F(Writer, EveryInputKindLandsByteForByte) {
  const std::string want = slurp(raw);
  ASSERT_EQ(want.size(), 48u << 20);
  struct Case {
    std::string name, make;
  };
  std::vector<Case> cases = {
      {"disk.raw", ""},
      {"disk.raw.gz", "gzip -1 -c " + raw},
      {"disk.raw.bz2", "bzip2 -1 -c " + raw},
      {"disk.raw.xz", "xz -0 -T1 -c " + raw},
      {"disk.raw.zst", "zstd -q -c " + raw},
      {"disk.qcow2", ""},
      {"disk-c.qcow2", ""},
  };
  ASSERT_EQ(sh("qemu-img convert -c -O qcow2 " + raw + " " + dir.path() + "/disk-c.qcow2"), 0);
  ASSERT_EQ(sh("qemu-img convert -O qcow2 " + raw + " " + dir.path() + "/disk.qcow2"), 0);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string path = dir.path() + "/" + c.name;
    if (!c.make.empty()) {
      ASSERT_EQ(sh(c.make + " > " + path), 0);
    }
    fresh_target();
    PreparedImage img;
    std::string err;
    ASSERT_TRUE(prepare_image({path, {}, {}}, &img, &err)) << err;
    std::uint64_t last_done = 0, total = 0;
    WriteOptions o;
    o.device = target;
    o.progress = [&](std::uint64_t d, std::uint64_t t) {
      EXPECT_GE(d, last_done);
      last_done = d;
      total = t;
    };
    ASSERT_TRUE(write_image(*client, img, o, &err)) << err;
    EXPECT_GT(total, 0u);
    std::string got = slurp(target);
    ASSERT_EQ(got.size(), want.size());
    EXPECT_TRUE(got == want);
  }
}

TEST_F(Writer, AWriterFailureComesBackWithItsMessage) {
  PreparedImage img;
  std::string err;
  ASSERT_TRUE(prepare_image({raw, {}, {}}, &img, &err)) << err;
  WriteOptions o;
  o.device = dir.path() + "/no/such/dir/sda";
  EXPECT_FALSE(write_image(*client, img, o, &err));
  EXPECT_NE(err.find("failed on the server"), std::string::npos) << err;
  EXPECT_NE(err.find("No such file or directory"), std::string::npos) << err;
}

TEST_F(Writer, TheServerFetchesAnImageUrl) {
  std::string zst = dir.path() + "/disk.raw.zst";
  ASSERT_EQ(sh("zstd -q -c " + raw + " > " + zst), 0);
  HttpFile http(slurp(zst));
  fresh_target();
  WriteOptions o;
  o.device = target;
  std::string err;
  ASSERT_TRUE(write_from_url(*client, http.url(), Compression::kZstd, o, &err)) << err;
  EXPECT_TRUE(slurp(target) == slurp(raw));
  EXPECT_EQ(http.requests(), 1);
  // A missing file fails the upload instead of writing an empty disk.
  EXPECT_FALSE(write_from_url(*client, http.url("/nope"), Compression::kZstd, o, &err));
  EXPECT_NE(err.find("failed on the server"), std::string::npos) << err;
}

}  // namespace
}  // namespace upload
