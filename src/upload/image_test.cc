// The input side against images made by qemu-img and the real compressors:
// whatever the container, the extents (and the wire stream applied by the
// real writer script) give exactly `qemu-img convert -O raw`.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

#include "ssh/sshd_fixture.h"
#include "upload/compression.h"
#include "upload/image_input.h"
#include "upload/qcow2_reader.h"
#include "upload/raw_reader.h"
#include "upload/remote_command.h"
#include "upload/wire.h"

namespace upload {
namespace {

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

bool have_qemu_img() {
  if (sh("command -v qemu-img >/dev/null && command -v qemu-io >/dev/null") == 0) return true;
  if (geteuid() == 0)
    sh("DEBIAN_FRONTEND=noninteractive apt-get install -y qemu-utils >/dev/null 2>&1");
  return sh("command -v qemu-img >/dev/null") == 0;
}

// A 64 MiB sparse disk: data at unaligned places, an allocated run of
// zeros, a file system hole, and data up to the very end.
void make_disk(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, 64 << 20), 0);
  std::mt19937 rng(42);
  auto put = [&](off_t off, std::size_t n, bool zeros) {
    std::string b(n, '\0');
    if (!zeros)
      for (auto& c : b) c = static_cast<char>(rng());
    ASSERT_EQ(pwrite(fd, b.data(), n, off), static_cast<ssize_t>(n));
  };
  put(0, 1 << 20, false);
  put((5 << 20) + 4097, 300 * 1024, false);
  put(10 << 20, 2 << 20, true);
  put((12 << 20) + 100, 17, false);
  put((63 << 20) + 512, (1 << 20) - 512, false);
  ::close(fd);
}

// Applies extents to a zero-filled file of the disk's size.
std::string apply_extents(ExtentSource& src, const std::string& path,
                          std::uint64_t* data_bytes = nullptr) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  EXPECT_EQ(ftruncate(fd, static_cast<off_t>(src.disk_size())), 0);
  Extent e;
  std::string err;
  std::uint64_t expect = 0, data = 0;
  while (src.next(&e, &err)) {
    EXPECT_EQ(e.offset, expect);
    expect = e.offset + e.length;
    if (!e.hole) {
      EXPECT_EQ(e.data.size(), e.length);
      EXPECT_EQ(pwrite(fd, e.data.data(), e.length, static_cast<off_t>(e.offset)),
                static_cast<ssize_t>(e.length));
      data += e.length;
    }
  }
  EXPECT_EQ(expect, src.disk_size());
  ::close(fd);
  if (data_bytes) *data_bytes = data;
  return err;
}

class Images : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_qemu_img()) {
      if (ssh::testing::under_ci()) FAIL() << "qemu-img is missing (scripts/install-deps.sh)";
      GTEST_SKIP() << "qemu-img is missing";
    }
    raw = dir.path() + "/disk.raw";
    make_disk(raw);
  }
  // qemu-img's own reading of `image`, as raw.
  std::string qemu_raw(const std::string& image) {
    std::string out = image + ".qemu.raw";
    EXPECT_EQ(sh("qemu-img convert -O raw '" + image + "' '" + out + "'"), 0);
    return out;
  }
  std::string qcow2(const std::string& name, const std::string& opts) {
    std::string out = dir.path() + "/" + name;
    std::string log;
    EXPECT_EQ(
        sh("qemu-img convert -f raw -O qcow2 " + opts + " '" + raw + "' '" + out + "' 2>&1", &log),
        0)
        << log;
    return out;
  }
  TempDir dir;
  std::string raw;
};

TEST(Compression, DetectsEachFormatFromItsMagic) {
  EXPECT_EQ(detect_compression(std::string("\x1f\x8b\x08\x00", 4)), Compression::kGzip);
  EXPECT_EQ(detect_compression("BZh91AY&SY"), Compression::kBzip2);
  EXPECT_EQ(detect_compression(std::string("\xfd"
                                           "7zXZ\x00\x00",
                                           7)),
            Compression::kXz);
  EXPECT_EQ(detect_compression(std::string("\x28\xb5\x2f\xfd\x04", 5)), Compression::kZstd);
  EXPECT_EQ(detect_compression(std::string("\xeb\x63\x90\x00", 4)), Compression::kNone);  // an MBR
  EXPECT_EQ(detect_compression("BZhx"), Compression::kNone);
  EXPECT_EQ(detect_compression(""), Compression::kNone);
  EXPECT_TRUE(is_qcow2("QFI\xfb\x00\x00\x00\x03"));
  EXPECT_FALSE(is_qcow2("QFI"));
  EXPECT_EQ(parse_compression("gzip"), Compression::kGzip);
  EXPECT_EQ(parse_compression("lz4"), std::nullopt);
  EXPECT_EQ(compression_of_url("https://x/nixos.raw.zst?sig=1"), Compression::kZstd);
  EXPECT_EQ(compression_of_url("https://x/a.img.xz"), Compression::kXz);
  EXPECT_EQ(compression_of_url("https://x/a.raw"), Compression::kNone);
}

TEST_F(Images, RealCompressorsAreDetected) {
  const std::vector<std::pair<std::string, Compression>> tools = {{"gzip", Compression::kGzip},
                                                                  {"bzip2", Compression::kBzip2},
                                                                  {"xz -T1", Compression::kXz},
                                                                  {"zstd -q", Compression::kZstd}};
  for (const auto& [tool, want] : tools) {
    std::string out = dir.path() + "/c";
    ASSERT_EQ(sh("head -c 100000 " + raw + " | " + tool + " -c > " + out), 0);
    EXPECT_EQ(detect_compression(slurp(out).substr(0, 16)), want) << tool;
  }
}

TEST_F(Images, RawReaderMatchesTheFileAndSkipsHoles) {
  std::string err;
  auto r = RawReader::open(raw, &err);
  ASSERT_TRUE(r) << err;
  std::uint64_t data = 0;
  EXPECT_EQ(apply_extents(*r, dir.path() + "/out", &data), "");
  EXPECT_EQ(slurp(dir.path() + "/out"), slurp(raw));
  EXPECT_LT(data, 64u << 20);  // the file system holes were not read as data
}

TEST_F(Images, Qcow2ReaderEqualsQemuImgForEveryLayout) {
  struct Case {
    const char* name;
    const char* opts;
    int version;
  };
  for (const Case& c : {Case{"v3.qcow2", "-o compat=1.1", 3}, Case{"v2.qcow2", "-o compat=0.10", 2},
                        Case{"small.qcow2", "-o cluster_size=4096", 3},
                        Case{"big.qcow2", "-o cluster_size=2M", 3}, Case{"deflate.qcow2", "-c", 3},
                        Case{"deflate-v2.qcow2", "-c -o compat=0.10,cluster_size=16384", 2}}) {
    SCOPED_TRACE(c.name);
    std::string img = qcow2(c.name, c.opts);
    std::string err;
    auto r = Qcow2Reader::open(img, &err);
    ASSERT_TRUE(r) << err;
    EXPECT_EQ(r->version(), c.version);
    EXPECT_EQ(r->disk_size(), 64u << 20);
    std::uint64_t data = 0;
    EXPECT_EQ(apply_extents(*r, dir.path() + "/out", &data), "");
    EXPECT_EQ(slurp(dir.path() + "/out"), slurp(qemu_raw(img)));
    EXPECT_LE(data, 8u << 20);  // unallocated clusters came as holes
  }
}

TEST_F(Images, ZeroClustersAndOddSizesAreHoles) {
  // A v3 image whose allocated clusters were then zeroed (zero flag), and a
  // disk size that is not a multiple of the cluster size.
  std::string img = dir.path() + "/z.qcow2";
  std::string log;
  ASSERT_EQ(sh("qemu-img create -q -f qcow2 " + img +
                   " 4999680 && "
                   "qemu-io -c 'write -P 0xab 0 2M' -c 'write -z 65536 131072' "
                   "-c 'write -P 0xcd 4979680 20000' " +
                   img + " 2>&1",
               &log),
            0)
      << log;
  std::string err;
  auto r = Qcow2Reader::open(img, &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(apply_extents(*r, dir.path() + "/out"), "");
  std::string got = slurp(dir.path() + "/out");
  EXPECT_EQ(got.size(), 4999680u);
  EXPECT_EQ(got, slurp(qemu_raw(img)));
  EXPECT_EQ(got.substr(65536, 131072), std::string(131072, '\0'));
}

TEST_F(Images, BackingFilesAndGarbageAreRefusedWithAReason) {
  std::string base = qcow2("base.qcow2", "");
  std::string over = dir.path() + "/over.qcow2";
  ASSERT_EQ(sh("qemu-img create -q -f qcow2 -b " + base + " -F qcow2 " + over), 0);
  std::string err;
  EXPECT_FALSE(Qcow2Reader::open(over, &err));
  EXPECT_NE(err.find("backing file"), std::string::npos) << err;
  EXPECT_NE(err.find("base.qcow2"), std::string::npos) << err;
  EXPECT_NE(err.find("qemu-img convert"), std::string::npos) << err;

  err.clear();
  EXPECT_FALSE(Qcow2Reader::open(raw, &err));
  EXPECT_NE(err.find("not a qcow2"), std::string::npos) << err;

  // Truncated after the header: the L1 table is missing.
  std::string cut = dir.path() + "/cut.qcow2";
  ASSERT_EQ(sh("head -c 200 " + base + " > " + cut), 0);
  err.clear();
  auto r = Qcow2Reader::open(cut, &err);
  if (r) {
    EXPECT_NE(apply_extents(*r, dir.path() + "/out"), "");
  } else {
    EXPECT_NE(err.find("cut.qcow2"), std::string::npos) << err;
  }
}

// The wire stream applied by the very script the rescue system runs.
TEST_F(Images, WireStreamThroughTheWriterScriptRebuildsTheDisk) {
  for (std::string img : {raw, qcow2("w.qcow2", "-c")}) {
    SCOPED_TRACE(img);
    PreparedImage p;
    std::string err;
    ASSERT_TRUE(prepare_image({img, {}, {}}, &p, &err)) << err;
    ASSERT_TRUE(p.writer.extents);
    std::string wire = dir.path() + "/wire";
    {
      std::ofstream w(wire, std::ios::binary);
      std::vector<char> buf(100000);
      std::ptrdiff_t n;
      while ((n = p.bytes->read(buf.data(), buf.size())) > 0) w.write(buf.data(), n);
      ASSERT_EQ(n, 0) << p.bytes->error();
    }
    auto* enc = static_cast<WireEncoder*>(p.bytes.get());
    EXPECT_LT(enc->data_bytes(), 4u << 20);  // zeros and holes are not sent
    EXPECT_LT(p.bytes->sent(), 4u << 20);
    std::string target = dir.path() + "/target";
    ASSERT_EQ(sh("rm -f " + target + " && truncate -s 64M " + target), 0);
    WriterSpec spec = p.writer;
    spec.device = target;
    std::string log;
    ASSERT_EQ(sh(writer_command(spec) + " < " + wire + " 2>&1", &log), 0) << log;
    EXPECT_EQ(slurp(target), slurp(qemu_raw(img)));
    // A stream cut short is an error, not a silently half-written disk.
    ASSERT_EQ(sh("head -c 500000 " + wire + " > " + wire + ".cut"), 0);
    log.clear();
    EXPECT_NE(sh(writer_command(spec) + " < " + wire + ".cut 2>&1", &log), 0);
    EXPECT_NE(log.find("ended early"), std::string::npos) << log;
  }
}

TEST_F(Images, FlagsOverrideAndContradictionsAreErrors) {
  std::string gz = dir.path() + "/d.gz";
  ASSERT_EQ(sh("gzip -c " + raw + " > " + gz), 0);
  PreparedImage p;
  std::string err;
  ASSERT_TRUE(prepare_image({gz, {}, {}}, &p, &err)) << err;
  EXPECT_EQ(p.compression, Compression::kGzip);
  EXPECT_FALSE(p.writer.extents);
  EXPECT_EQ(p.bytes->input_total(), slurp(gz).size());

  PreparedImage q;
  EXPECT_FALSE(prepare_image({gz, Compression::kZstd, {}}, &q, &err));
  EXPECT_NE(err.find("looks like gz"), std::string::npos) << err;
  err.clear();
  EXPECT_FALSE(prepare_image({gz, {}, Format::kQcow2}, &q, &err));
  EXPECT_NE(err.find("compressed qcow2"), std::string::npos) << err;
  err.clear();
  EXPECT_FALSE(prepare_image({raw, {}, Format::kQcow2}, &q, &err));
  EXPECT_NE(err.find("no qcow2 magic"), std::string::npos) << err;
  err.clear();
  EXPECT_FALSE(prepare_image({dir.path() + "/missing", {}, {}}, &q, &err));
  EXPECT_NE(err.find("missing"), std::string::npos) << err;
}

}  // namespace
}  // namespace upload
