#include "heartbeatd/state/posix_state_env.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/unique_fd.h"

namespace vigil::state {

namespace {

constexpr std::size_t kMaxFileBytes = 4096;
constexpr const char* kBootIdPath = "/proc/sys/kernel/random/boot_id";

Error os_error(std::string_view what, const std::string& path) {
  return Error{std::string(what) + " " + path + ": " + std::strerror(errno)};
}

Result<std::string> read_all(int fd, const std::string& path) {
  std::string contents;
  char buf[512];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("cannot read", path);
    }
    if (n == 0) break;
    contents.append(buf, static_cast<std::size_t>(n));
    if (contents.size() > kMaxFileBytes) return Error{path + " is unexpectedly large"};
  }
  return contents;
}

Status write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("cannot write", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok_status();
}

class PosixRecordFile final : public RecordFile {
 public:
  PosixRecordFile(UniqueFd fd, std::string path, std::string initial)
      : fd_(std::move(fd)), path_(std::move(path)), initial_(std::move(initial)) {}

  const std::string& initial_contents() const override { return initial_; }

  Status overwrite(std::string_view bytes) override {
    // One pwrite of a few dozen bytes at offset 0: a signal cannot split it
    // and kill -9 takes effect only after the syscall, so the page cache
    // holds either the old or the new record.
    const ssize_t n = ::pwrite(fd_.get(), bytes.data(), bytes.size(), 0);
    if (n < 0) return os_error("cannot write", path_);
    if (static_cast<std::size_t>(n) != bytes.size()) return Error{"short write to " + path_};
    return ok_status();
  }

 private:
  UniqueFd fd_;
  std::string path_;
  std::string initial_;
};

}  // namespace

std::string PosixStateEnv::path(std::string_view name) const {
  return directory_ + "/" + std::string(name);
}

Result<std::optional<std::string>> PosixStateEnv::read_file(std::string_view name) {
  const std::string p = path(name);
  UniqueFd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) {
    if (errno == ENOENT) return std::optional<std::string>();
    return os_error("cannot open", p);
  }
  auto contents = read_all(fd.get(), p);
  if (!contents) return contents.error();
  return std::optional<std::string>(std::move(*contents));
}

Status PosixStateEnv::write_durable(std::string_view name, std::string_view contents) {
  const std::string final_path = path(name);
  const std::string temp_path = final_path + ".tmp";
  {
    UniqueFd fd(::open(temp_path.c_str(),
                       O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) return os_error("cannot create", temp_path);
    if (Status st = write_all(fd.get(), contents, temp_path); !st) return st;
    if (::fsync(fd.get()) != 0) return os_error("cannot fsync", temp_path);
  }
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0)
    return os_error("cannot rename to", final_path);
  // The rename itself is durable only once the directory is.
  UniqueFd dir(::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return os_error("cannot open directory", directory_);
  if (::fsync(dir.get()) != 0) return os_error("cannot fsync directory", directory_);
  return ok_status();
}

Result<std::unique_ptr<RecordFile>> PosixStateEnv::open_record(std::string_view name) {
  const std::string p = path(name);
  UniqueFd fd(::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) return os_error("cannot open", p);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return Error{p + " is locked: another heartbeatd is running with this state directory"};
    return os_error("cannot lock", p);
  }
  auto contents = read_all(fd.get(), p);
  if (!contents) return contents.error();
  return std::unique_ptr<RecordFile>(
      std::make_unique<PosixRecordFile>(std::move(fd), p, std::move(*contents)));
}

Result<std::string> PosixStateEnv::boot_id() {
  UniqueFd fd(::open(kBootIdPath, O_RDONLY | O_CLOEXEC));
  if (!fd) return os_error("cannot open", kBootIdPath);
  auto contents = read_all(fd.get(), kBootIdPath);
  if (!contents) return contents.error();
  std::string id = std::move(*contents);
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  if (id.empty()) return Error{std::string(kBootIdPath) + " is empty"};
  return id;
}

Duration PosixStateEnv::since_boot() {
  timespec ts{};
  clock_gettime(CLOCK_BOOTTIME, &ts);
  return std::chrono::duration_cast<Duration>(std::chrono::seconds(ts.tv_sec) +
                                              std::chrono::nanoseconds(ts.tv_nsec));
}

std::int64_t PosixStateEnv::unix_time() { return static_cast<std::int64_t>(::time(nullptr)); }

}  // namespace vigil::state
