// The operating system as heartbeatd's persistent state sees it: a few
// small files in STATE_DIR (/var/lib/vigil), the kernel's boot id and a
// clock that counts since boot. An interface so that tests can run the
// state code against a simulated disk that loses unsynced writes, a
// process that is killed, and a machine that reboots (leveldb's Env and
// FaultInjectionTestEnv, field-notes.md C6.7).
//
// posix_state_env.h is the real implementation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"

namespace vigil::state {

// A small file rewritten in place many times a second, never fsync'ed: a
// write reaches the page cache, which survives the death of the process
// but not of the machine. Holding one locks the file against a second
// heartbeatd (flock), until it is dropped.
class RecordFile {
 public:
  virtual ~RecordFile() = default;
  // The contents when opened ("" for a new file).
  virtual const std::string& initial_contents() const = 0;
  // Replaces the contents from offset 0 (pwrite); no fsync.
  virtual Status overwrite(std::string_view bytes) = 0;
};

class StateEnv {
 public:
  virtual ~StateEnv() = default;

  // The whole file, or nullopt if it does not exist. Files over 4 KiB are
  // an error: nothing heartbeatd keeps is that large.
  virtual Result<std::optional<std::string>> read_file(std::string_view name) = 0;

  // Replaces `name` atomically and durably (temporary file, fsync, rename,
  // fsync of the directory), mode 0600. When it returns ok, the new
  // contents survive a power loss; if it fails or the machine dies during
  // it, the file holds either the old or the new contents.
  virtual Status write_durable(std::string_view name, std::string_view contents) = 0;

  // Opens (creating, mode 0600) and locks a RecordFile. Fails if another
  // process holds the lock.
  virtual Result<std::unique_ptr<RecordFile>> open_record(std::string_view name) = 0;

  // /proc/sys/kernel/random/boot_id: changes at every boot.
  virtual Result<std::string> boot_id() = 0;

  // CLOCK_BOOTTIME: like CLOCK_MONOTONIC but counting suspend too, so a
  // machine that slept for an hour does not look like it restarted
  // heartbeatd a second ago. Comparable only within one boot id.
  virtual Duration since_boot() = 0;

  // time(): seeds the generation when no generation file exists (§5.8).
  virtual std::int64_t unix_time() = 0;
};

}  // namespace vigil::state
