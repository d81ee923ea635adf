// The notify hook's on-disk queue (vigil-vigil.cf(5), "NOTIFY HOOK"): what
// makes delivery ordered and never-lost across restarts (field notes A9:
// keepalived's notify scripts ran out of order and its FIFO loses state on
// reload).
//
// Each event is one file named by its sequence number, written whole
// before anyone is told the event was taken (write to a temporary name,
// fsync, rename, fsync the directory), so after a crash a file is either
// absent or complete. A delivered event's file is renamed over `delivered`,
// which therefore always holds the highest delivered number: sequence
// numbers keep growing across restarts even when the spool is empty, and a
// hook can tell a repeat by its number.
//
// The layout on disk is behind SpoolStore so that the ordering and restart
// rules (NotifySpool) are tested without a file system.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::resourced {

class SpoolStore {
 public:
  virtual ~SpoolStore() = default;
  // Sequence numbers of the events waiting, in any order.
  virtual Result<std::vector<std::uint64_t>> waiting() const = 0;
  // The highest number ever delivered, if any.
  virtual std::optional<std::uint64_t> last_delivered() const = 0;
  // Writes event `seq` durably; on success it survives a crash.
  virtual Status write(std::uint64_t seq, const std::string& text) = 0;
  virtual Result<std::string> read(std::uint64_t seq) const = 0;
  // Marks `seq` delivered, durably (it is no longer waiting).
  virtual Status delivered(std::uint64_t seq) = 0;
};

// Files in one directory (created 0700 if missing): "<seq>" (20 digits),
// "delivered", and ".tmp-<seq>" while one is being written (ignored and
// removed at start: its event was never acknowledged).
//
// The directory is opened once, refusing a symlink, one not owned by us
// or one open to others; every later access is relative to that open
// descriptor (openat, renameat). Its parent, STATE_DIR, belongs to
// heartbeatd's user: renaming the spool away or putting another in its
// place then changes nothing for resourced, which keeps using the
// directory it checked.
class DirectorySpoolStore final : public SpoolStore {
 public:
  static Result<DirectorySpoolStore> open(const std::string& dir);

  Result<std::vector<std::uint64_t>> waiting() const override;
  std::optional<std::uint64_t> last_delivered() const override;
  Status write(std::uint64_t seq, const std::string& text) override;
  Result<std::string> read(std::uint64_t seq) const override;
  Status delivered(std::uint64_t seq) override;

  const std::string& dir() const { return dir_; }

 private:
  DirectorySpoolStore(std::string dir, UniqueFd fd) : dir_(std::move(dir)), fd_(std::move(fd)) {}
  std::optional<std::string> read_file(const std::string& name) const;
  Status write_durably(const std::string& name, const std::string& text);
  Status sync() const;
  std::vector<std::string> names() const;
  std::string dir_;
  UniqueFd fd_;
};

// The queue over a store: numbers events, keeps them in order, and says
// which one is next. Pure logic; the store does the I/O.
class NotifySpool {
 public:
  // Reads what a previous run left: the waiting events, in number order,
  // and the next number to give (above everything waiting or delivered).
  static Result<NotifySpool> recover(SpoolStore& store);

  // Spools one event; returns its number. On error nothing was spooled.
  Result<std::uint64_t> append(const std::string& text);
  // The oldest waiting event's number, if any.
  std::optional<std::uint64_t> front() const;
  Result<std::string> read_front() const;
  // The oldest event was delivered: forget it, durably.
  Status pop_front();

  std::size_t size() const { return waiting_.size(); }
  std::uint64_t next_seq() const { return next_; }

 private:
  NotifySpool(SpoolStore& store, std::vector<std::uint64_t> waiting, std::uint64_t next)
      : store_(&store), waiting_(std::move(waiting)), next_(next) {}

  SpoolStore* store_;
  std::vector<std::uint64_t> waiting_;  // ascending
  std::uint64_t next_;
};

// The wait before attempt `failures + 1` of one event: 1 s doubled per
// failure, at most `max` (vigil.cf notify_retry_max). `base` is for tests.
std::chrono::milliseconds notify_retry_delay(
    int failures, std::chrono::milliseconds max,
    std::chrono::milliseconds base = std::chrono::milliseconds(1000));

}  // namespace vigil::resourced
