// HCL's ext/dynblock, as Packer applies it to each template file: `dynamic
// "TYPE" { for_each, iterator, labels, content {} }` blocks expand into
// TYPE blocks when a body's content is asked for.
#pragma once

#include "hcl/body.h"
#include "hcl/eval_context.h"

namespace kiln::tmpl {

// Wraps body so that dynamic blocks expand with for_each evaluated in ctx.
// ctx must outlive the returned body and every body derived from it.
hcl::BodyPtr expand_dynamic_blocks(hcl::BodyPtr body, const hcl::EvalContext* ctx);

}  // namespace kiln::tmpl
