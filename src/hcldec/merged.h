// Several bodies seen as one, as hcl.MergeBodies / hcl.MergeFiles: the
// attributes of all of them (each name at most once), the blocks of each in
// order.
#pragma once

#include <vector>

#include "hcl/body.h"

namespace kiln::hcldec {

class MergedBody : public hcl::Body {
 public:
  explicit MergedBody(std::vector<hcl::BodyPtr> bodies) : bodies_(std::move(bodies)) {}

  hcl::BodyContent content(const hcl::BodySchema& schema, hcl::Diagnostics& diags) const override;
  hcl::BodyContent partial_content(const hcl::BodySchema& schema, hcl::BodyPtr* remain,
                                   hcl::Diagnostics& diags) const override;
  hcl::Attributes just_attributes(hcl::Diagnostics& diags) const override;
  hcl::Range missing_item_range() const override;

  const std::vector<hcl::BodyPtr>& bodies() const { return bodies_; }

 private:
  hcl::BodyContent merged_content(const hcl::BodySchema& schema, bool partial, hcl::BodyPtr* remain,
                                  hcl::Diagnostics& diags) const;
  std::vector<hcl::BodyPtr> bodies_;
};

// hcl.MergeBodies: flattens nested merged bodies.
hcl::BodyPtr merge_bodies(const std::vector<hcl::BodyPtr>& bodies);
hcl::BodyPtr empty_body();

}  // namespace kiln::hcldec
