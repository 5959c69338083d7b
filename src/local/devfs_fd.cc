// The sandbox's half of the devfs: mounting the empty FUSE filesystem in the
// sandbox's own mount namespace, and handing its connection to kiln local.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "local/devfs.h"

namespace kiln::local {

int mount_devfs_fuse(const std::string& target, std::string* error) {
  int fd = ::open("/dev/fuse", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (error) *error = std::string("cannot open /dev/fuse: ") + std::strerror(errno);
    return -1;
  }
  // rootmode is octal S_IFDIR|0755. No MS_NODEV: the device nodes must open.
  std::string data = "fd=" + std::to_string(fd) +
                     ",rootmode=40755,user_id=0,group_id=0,allow_other,default_permissions";
  if (::mount("kiln-dev", target.c_str(), "fuse.kiln-dev", MS_NOSUID, data.c_str()) != 0) {
    if (error) *error = "cannot mount the devfs at " + target + ": " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

bool mount_sys_block_view(const std::string& dev_dir, const std::string& sys_block,
                          std::string* error) {
  auto fail = [&](const std::string& what) {
    if (error) *error = what + ": " + std::strerror(errno);
    return false;
  };
  const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  if (::mount("kiln-sys-block", sys_block.c_str(), "tmpfs", flags, "mode=0755,size=16k") != 0) {
    return fail("cannot mount a tmpfs on " + sys_block);
  }
  std::string sda = sys_block + "/sda";
  std::string view = dev_dir + "/.kiln/block/sda";
  if (::mkdir(sda.c_str(), 0555) != 0) return fail("cannot create " + sda);
  if (::mount(view.c_str(), sda.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    return fail("cannot bind " + view + " on " + sda);
  }
  if (::mount(nullptr, sys_block.c_str(), nullptr, MS_REMOUNT | MS_RDONLY | flags, nullptr) != 0) {
    return fail("cannot make " + sys_block + " read-only");
  }
  return true;
}

bool send_fd(int sock, int fd, std::string* error) {
  char byte = 'F';
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  while (::sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
    if (errno == EINTR) continue;
    if (error) *error = std::string("cannot pass a descriptor: ") + std::strerror(errno);
    return false;
  }
  return true;
}

int receive_fd(int sock, std::string* error) {
  char byte = 0;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t got;
  while ((got = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  if (got < 0) {
    if (error) *error = std::string("cannot receive a descriptor: ") + std::strerror(errno);
    return -1;
  }
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (got == 0 || !c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
      c->cmsg_len != CMSG_LEN(sizeof(int))) {
    if (error) *error = "no descriptor came over the socket";
    return -1;
  }
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
  return fd;
}

}  // namespace kiln::local
