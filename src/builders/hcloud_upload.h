// The "hcloud-upload" source: `kiln upload` as a template source (component
// "upload" of the built-in hcloud plugin), so an upload is a build with
// post-processors and a manifest.
#pragma once

#include <memory>

#include "engine/builder.h"

namespace kiln::builders {

std::unique_ptr<engine::Builder> make_hcloud_upload_builder();

}  // namespace kiln::builders
