// The "hcloud-upload" source: `kiln upload` as a template source (component
// "upload" of the built-in hcloud plugin), so an upload is a build with
// post-processors and a manifest.
#pragma once

#include <memory>
#include <string>

#include "engine/builder.h"
#include "upload/upload.h"

namespace kiln::builders {

std::unique_ptr<engine::Builder> make_hcloud_upload_builder();

// An upload's resources recorded in the run journal (for `kiln cleanup`),
// shared by `kiln upload` and this source. `by` names who created them
// ("upload", or the build's name).
upload::ResourceHooks journal_hooks(engine::Journal* journal, const std::string& endpoint,
                                    const std::string& by);

}  // namespace kiln::builders
