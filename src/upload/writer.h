// Runs the writer (remote_command.h) on an SSH connection to the rescue
// system and feeds it the prepared image through the session's stdin.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ssh/client.h"
#include "upload/image_input.h"

namespace upload {

struct WriteOptions {
  std::string device = "/dev/sda";
  // Input bytes consumed and the input's size, as the stream goes.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  std::function<bool()> cancelled;
};

// Streams `image` (consumed) to options.device on the connected host.
// False and *error (with the writer's own messages) on failure.
bool write_image(ssh::Client& client, PreparedImage& image, const WriteOptions& options,
                 std::string* error);

// The host fetches `url` itself and writes it (decompressing `compression`).
bool write_from_url(ssh::Client& client, const std::string& url, Compression compression,
                    const WriteOptions& options, std::string* error);

}  // namespace upload
