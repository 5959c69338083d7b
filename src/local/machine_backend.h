// The Api's ServerBackend on real machines: turns each server action's work
// into Machines jobs (disk, boot, stop, snapshot, grow, destroy) and reports
// the end to Api::work_done.
#pragma once

#include "local/api.h"
#include "local/machine.h"

namespace kiln::local {

class MachineBackend : public ServerBackend {
 public:
  // `api` may be set after construction (the Api takes the backend in its options).
  explicit MachineBackend(Machines& machines) : machines_(machines) {}
  void set_api(Api* api) { api_ = api; }

  void submit(const ServerWork& work) override;
  void image_deleted(int64_t image_id) override;

  // The boot a server document asks for.
  static BootSpec boot_spec(const ServerWork& work);

 private:
  Machines::Done done_for(int64_t action_id);
  Machines& machines_;
  Api* api_ = nullptr;
};

}  // namespace kiln::local
