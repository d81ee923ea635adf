// StateEnv on a real directory (STATE_DIR, /var/lib/vigil by default). The
// directory must exist and be writable (systemd's StateDirectory= creates
// it); it is never created here, so a typo in a path cannot scatter state
// files around the disk.
#pragma once

#include <string>

#include "heartbeatd/state/state_env.h"

namespace vigil::state {

class PosixStateEnv final : public StateEnv {
 public:
  explicit PosixStateEnv(std::string directory) : directory_(std::move(directory)) {}

  Result<std::optional<std::string>> read_file(std::string_view name) override;
  Status write_durable(std::string_view name, std::string_view contents) override;
  Result<std::unique_ptr<RecordFile>> open_record(std::string_view name) override;
  Result<std::string> boot_id() override;
  Duration since_boot() override;
  std::int64_t unix_time() override;

 private:
  std::string path(std::string_view name) const;

  std::string directory_;
};

}  // namespace vigil::state
