// A local temporary file (mkstemp under $TMPDIR or /tmp), removed when the
// object goes away: the scripts shell and shell-local write from `inline`.
#pragma once

#include <string>

namespace kiln::prov {

class TempFile {
 public:
  TempFile() = default;
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  // Creates <tmpdir>/<prefix>XXXXXX<suffix> holding data with the given
  // mode; "" on success, else why not.
  std::string create(const std::string& prefix, const std::string& suffix, const std::string& data,
                     int mode);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Reads a whole file; false and *error ("open x: No such file...") on failure.
bool read_file(const std::string& path, std::string* out, std::string* error);

}  // namespace kiln::prov
