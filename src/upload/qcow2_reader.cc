#include "upload/qcow2_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace upload {

namespace {

constexpr std::size_t kMaxRun = 4u << 20;                     // data bytes yielded at once
constexpr std::uint64_t kOffsetMask = 0x00fffffffffffe00ULL;  // bits 9..55
constexpr std::uint64_t kCompressedFlag = 1ULL << 62;

std::uint64_t be64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}
std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}

}  // namespace

bool Qcow2Reader::read_at(std::uint64_t off, char* buf, std::size_t n, std::string* error) {
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = pread(fd_, buf + got, n - got, static_cast<off_t>(off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      *error = path_ + ": read of " + std::to_string(n) + " bytes at offset " +
               std::to_string(off) + " failed: " +
               (r < 0 ? std::strerror(errno) : "past the end of the file (truncated image?)");
      return false;
    }
    got += static_cast<std::size_t>(r);
  }
  input_done_ += n;
  return true;
}

std::unique_ptr<Qcow2Reader> Qcow2Reader::open(const std::string& path, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<Qcow2Reader> r(new Qcow2Reader());
  r->fd_ = fd;
  r->path_ = path;
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    *error = path + ": cannot stat: " + std::strerror(errno);
    return nullptr;
  }
  r->file_size_ = static_cast<std::uint64_t>(st.st_size);
  unsigned char h[112] = {};
  std::size_t hlen = std::min<std::uint64_t>(sizeof h, r->file_size_);
  if (hlen < 72 || !r->read_at(0, reinterpret_cast<char*>(h), hlen, error)) {
    if (error->empty()) *error = path + ": too short for a qcow2 header";
    return nullptr;
  }
  auto bad = [&](const std::string& why) {
    *error = path + ": " + why;
    return nullptr;
  };
  if (std::memcmp(h, "QFI\xfb", 4) != 0) return bad("not a qcow2 image (no QFI magic)");
  r->version_ = static_cast<int>(be32(h + 4));
  if (r->version_ != 2 && r->version_ != 3)
    return bad("qcow2 version " + std::to_string(r->version_) + " is not supported (2 or 3 is)");
  std::uint64_t backing_off = be64(h + 8);
  std::uint32_t backing_len = be32(h + 16);
  if (backing_off != 0) {
    std::string name(std::min<std::uint32_t>(backing_len, 1023), '\0');
    if (!name.empty() && backing_off + name.size() <= r->file_size_) {
      std::string ignored;
      if (!r->read_at(backing_off, name.data(), name.size(), &ignored)) name.clear();
    }
    return bad("the image has a backing file (\"" + name +
               "\"), so it holds only differences; flatten it first with "
               "`qemu-img convert -O qcow2 " +
               path + " flat.qcow2`");
  }
  r->cluster_bits_ = be32(h + 20);
  if (r->cluster_bits_ < 9 || r->cluster_bits_ > 21)
    return bad("cluster_bits " + std::to_string(r->cluster_bits_) + " is out of range (9..21)");
  r->cluster_size_ = 1u << r->cluster_bits_;
  r->size_ = be64(h + 24);
  if (be32(h + 32) != 0) return bad("the image is encrypted; decrypt it with qemu-img first");
  std::uint32_t l1_size = be32(h + 36);
  std::uint64_t l1_off = be64(h + 40);
  r->l2_entries_ = r->cluster_size_ / 8;
  std::uint64_t clusters = (r->size_ + r->cluster_size_ - 1) / r->cluster_size_;
  if (std::uint64_t{l1_size} * r->l2_entries_ < clusters)
    return bad("the L1 table is too small for the disk size (corrupt header)");
  if (std::uint64_t{l1_size} > (32u << 20) / 8 ||
      l1_off + std::uint64_t{l1_size} * 8 > r->file_size_)
    return bad("the L1 table lies outside the file (corrupt or truncated image)");
  if (r->version_ == 3) {
    std::uint64_t incompatible = be64(h + 72);
    if (incompatible & 2)
      return bad("the image is marked corrupt; repair it with `qemu-img check -r all`");
    if (incompatible & 4)
      return bad("the image keeps its data in an external file, which is not supported");
    if (incompatible & 16) return bad("extended L2 entries (subclusters) are not supported");
    if (incompatible & ~std::uint64_t{0x1f})
      return bad("the image uses unknown incompatible features; convert it with qemu-img first");
    std::uint32_t header_len = be32(h + 100);
    if ((incompatible & 8) && header_len > 104 && hlen > 104 && h[104] != 0)
      return bad(
          "zstd-compressed clusters are not supported; recompress with "
          "`qemu-img convert -c -o compression_type=zlib` or convert to raw");
  }
  std::vector<unsigned char> l1(std::size_t{l1_size} * 8);
  if (!l1.empty() && !r->read_at(l1_off, reinterpret_cast<char*>(l1.data()), l1.size(), error))
    return nullptr;
  r->l1_.resize(l1_size);
  for (std::uint32_t i = 0; i < l1_size; ++i) r->l1_[i] = be64(l1.data() + 8 * i);
  r->buf_.resize(std::max<std::size_t>(kMaxRun, r->cluster_size_));
  return r;
}

Qcow2Reader::~Qcow2Reader() {
  if (fd_ >= 0) ::close(fd_);
}

Qcow2Reader::Cluster Qcow2Reader::classify(std::uint64_t index, std::string* error) {
  std::uint64_t l1i = index / l2_entries_;
  std::uint64_t l2i = index % l2_entries_;
  Cluster c;
  if (l1i >= l1_.size() || (l1_[l1i] & kOffsetMask) == 0) {
    c.run = l2_entries_ - l2i;  // the whole L2 range is unallocated
    return c;
  }
  if (static_cast<std::int64_t>(l1i) != l2_loaded_) {
    std::vector<unsigned char> raw(cluster_size_);
    std::uint64_t off = l1_[l1i] & kOffsetMask;
    if (!read_at(off, reinterpret_cast<char*>(raw.data()), raw.size(), error)) {
      c.kind = Kind::kError;
      return c;
    }
    l2_.resize(l2_entries_);
    for (std::uint64_t i = 0; i < l2_entries_; ++i) l2_[i] = be64(raw.data() + 8 * i);
    l2_loaded_ = static_cast<std::int64_t>(l1i);
  }
  std::uint64_t e = l2_[l2i];
  if (e & kCompressedFlag) {
    c.kind = Kind::kCompressed;
    c.host = e;
    return c;
  }
  bool zero = version_ >= 3 && (e & 1);
  std::uint64_t host = e & kOffsetMask;
  if (zero || host == 0) return c;  // reads as zeros (no backing file)
  c.kind = Kind::kData;
  c.host = host;
  return c;
}

bool Qcow2Reader::inflate_cluster(std::uint64_t entry, std::string* error) {
  unsigned x = 62 - (cluster_bits_ - 8);
  std::uint64_t off = entry & ((std::uint64_t{1} << x) - 1);
  std::uint64_t sectors = ((entry & ~kCompressedFlag & ~(std::uint64_t{1} << 63)) >> x) + 1;
  std::uint64_t csize = sectors * 512 - (off & 511);
  // The last compressed cluster may end before its sector count says.
  if (off >= file_size_) {
    *error = path_ + ": a compressed cluster lies past the end of the file";
    return false;
  }
  csize = std::min(csize, file_size_ - off);
  packed_.resize(csize);
  if (!read_at(off, packed_.data(), csize, error)) return false;
  z_stream z{};
  if (inflateInit2(&z, -12) != Z_OK) {
    *error = "zlib: cannot initialise inflate";
    return false;
  }
  z.next_in = reinterpret_cast<Bytef*>(packed_.data());
  z.avail_in = static_cast<uInt>(csize);
  z.next_out = reinterpret_cast<Bytef*>(buf_.data());
  z.avail_out = cluster_size_;
  int rc = inflate(&z, Z_FINISH);
  bool full = z.avail_out == 0;
  inflateEnd(&z);
  if (!(rc == Z_STREAM_END || (full && (rc == Z_OK || rc == Z_BUF_ERROR)))) {
    *error = path_ + ": a compressed cluster at offset " + std::to_string(off) +
             " does not inflate (corrupt image)";
    return false;
  }
  return true;
}

bool Qcow2Reader::next(Extent* out, std::string* error) {
  if (pos_ >= size_) return false;
  std::uint64_t index = pos_ / cluster_size_;
  Cluster c = classify(index, error);
  if (c.kind == Kind::kError) return false;
  std::uint64_t start = pos_;
  if (c.kind == Kind::kHole) {
    std::uint64_t end = (index + c.run) * cluster_size_;
    // Join the following holes (bounded by the L1 table's reach).
    while (end < size_) {
      Cluster n = classify(end / cluster_size_, error);
      if (n.kind == Kind::kError) return false;
      if (n.kind != Kind::kHole) break;
      end += n.run * cluster_size_;
    }
    end = std::min(end, size_);
    *out = Extent{start, end - start, true, {}};
    pos_ = end;
    return true;
  }
  if (c.kind == Kind::kCompressed) {
    if (!inflate_cluster(c.host, error)) return false;
    std::uint64_t len = std::min<std::uint64_t>(cluster_size_, size_ - start);
    *out = Extent{start, len, false, std::string_view(buf_.data(), len)};
    pos_ = start + len;
    return true;
  }
  // Standard clusters: read as many as lie back to back in the file too.
  std::uint64_t host = c.host;
  std::uint64_t n = 1;
  while (n * cluster_size_ < kMaxRun && (index + n) * cluster_size_ < size_) {
    Cluster more = classify(index + n, error);
    if (more.kind == Kind::kError) return false;
    if (more.kind != Kind::kData || more.host != host + n * cluster_size_) break;
    ++n;
  }
  std::uint64_t len = std::min<std::uint64_t>(n * cluster_size_, size_ - start);
  if (!read_at(host, buf_.data(), len, error)) return false;
  *out = Extent{start, len, false, std::string_view(buf_.data(), len)};
  pos_ = start + len;
  return true;
}

}  // namespace upload
