// Packer's multistep runner: steps run in order until one fails or the
// build is cancelled; then the cleanups of every step that ran (the failed
// one included) run in reverse order, whatever happened. -on-error decides
// what a failure leads to (abort skips the cleanups, ask asks); -debug
// pauses after each step.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/builder.h"

namespace kiln::engine {

struct Step {
  std::string name;  // "StepCreateServer", shown by -debug and -on-error=ask
  std::function<Status()> run;
  std::function<void()> cleanup;  // may be empty
};

// Returns the first failure ("Build was cancelled." when cancelled).
Status run_steps(const std::vector<Step>& steps, Ui& ui, const BuildContext& ctx,
                 const Cancel& cancel);

}  // namespace kiln::engine
