#include "resourced/notify_spool.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "common/unique_fd.h"

namespace vigil::resourced {

namespace {

constexpr const char* kDelivered = "delivered";
constexpr const char* kTmpPrefix = ".tmp-";

std::optional<std::uint64_t> parse_seq(std::string_view s) {
  if (s.empty() || s.size() > 20 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

Error errno_error(const std::string& what) {
  return Error{fmt::format("{}: {}", what, std::strerror(errno))};
}

Status write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("cannot write " + path);
    done += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

Result<DirectorySpoolStore> DirectorySpoolStore::open(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return errno_error("cannot create " + dir);
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return errno_error("cannot open " + dir + " (a directory, not a symlink)");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_error("cannot stat " + dir);
  if (st.st_uid != ::geteuid() || (st.st_mode & 0077) != 0)
    return Error{
        fmt::format("{} must belong to uid {} with mode 0700 (it holds what the hook "
                    "runs with)",
                    dir, ::geteuid())};
  DirectorySpoolStore store(dir, std::move(fd));
  // A temporary file is an event whose write never finished, so it was
  // never acknowledged: heartbeatd sends it again.
  for (const std::string& name : store.names())
    if (name.starts_with(kTmpPrefix)) ::unlinkat(store.fd_.get(), name.c_str(), 0);
  return store;
}

std::vector<std::string> DirectorySpoolStore::names() const {
  std::vector<std::string> out;
  const int copy = ::fcntl(fd_.get(), F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return out;
  DIR* d = ::fdopendir(copy);
  if (d == nullptr) {
    ::close(copy);
    return out;
  }
  ::rewinddir(d);
  while (const dirent* e = ::readdir(d)) out.emplace_back(e->d_name);
  ::closedir(d);
  return out;
}

Status DirectorySpoolStore::sync() const {
  if (::fsync(fd_.get()) != 0) return errno_error("cannot fsync " + dir_);
  return {};
}

// Temporary file, fsync, rename, fsync the directory: after a crash the
// file is either absent or whole.
Status DirectorySpoolStore::write_durably(const std::string& name, const std::string& text) {
  const std::string tmp = kTmpPrefix + name;
  {
    UniqueFd f(::openat(fd_.get(), tmp.c_str(),
                        O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!f.valid()) return errno_error(fmt::format("cannot create {}/{}", dir_, tmp));
    if (Status s = write_all(f.get(), text, dir_ + "/" + tmp); !s) return s;
    if (::fsync(f.get()) != 0) return errno_error(fmt::format("cannot fsync {}/{}", dir_, tmp));
  }
  if (::renameat(fd_.get(), tmp.c_str(), fd_.get(), name.c_str()) != 0)
    return errno_error(fmt::format("cannot rename {}/{}", dir_, tmp));
  return sync();
}

Result<std::vector<std::uint64_t>> DirectorySpoolStore::waiting() const {
  std::vector<std::uint64_t> seqs;
  for (const std::string& name : names())
    if (auto seq = parse_seq(name)) seqs.push_back(*seq);
  return seqs;
}

std::optional<std::uint64_t> DirectorySpoolStore::last_delivered() const {
  auto text = read_file(kDelivered);
  if (!text) return std::nullopt;
  std::string_view s = *text;
  if (auto nl = s.find('\n'); nl != std::string_view::npos) s = s.substr(0, nl);
  if (s.starts_with("VIGIL_EVENT_SEQ=")) return parse_seq(s.substr(16));
  return std::nullopt;
}

Status DirectorySpoolStore::write(std::uint64_t seq, const std::string& text) {
  return write_durably(fmt::format("{:020}", seq), text);
}

Result<std::string> DirectorySpoolStore::read(std::uint64_t seq) const {
  auto text = read_file(fmt::format("{:020}", seq));
  if (!text) return errno_error(fmt::format("cannot read {}/{:020}", dir_, seq));
  return *text;
}

Status DirectorySpoolStore::delivered(std::uint64_t seq) {
  const std::string name = fmt::format("{:020}", seq);
  if (::renameat(fd_.get(), name.c_str(), fd_.get(), kDelivered) != 0)
    return errno_error(fmt::format("cannot rename {}/{}", dir_, name));
  return sync();
}

std::optional<std::string> DirectorySpoolStore::read_file(const std::string& name) const {
  UniqueFd f(::openat(fd_.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!f.valid()) return std::nullopt;
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(f.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > 64 * 1024) return std::nullopt;  // never ours: events are small
  }
  return text;
}

Result<NotifySpool> NotifySpool::recover(SpoolStore& store) {
  auto waiting = store.waiting();
  if (!waiting) return waiting.error();
  std::sort(waiting->begin(), waiting->end());
  std::uint64_t next = store.last_delivered().value_or(0) + 1;
  if (!waiting->empty()) next = std::max(next, waiting->back() + 1);
  return NotifySpool(store, std::move(*waiting), next);
}

Result<std::uint64_t> NotifySpool::append(const std::string& text) {
  const std::uint64_t seq = next_;
  if (Status s = store_->write(seq, text); !s) return s.error();
  waiting_.push_back(seq);
  ++next_;
  return seq;
}

std::optional<std::uint64_t> NotifySpool::front() const {
  if (waiting_.empty()) return std::nullopt;
  return waiting_.front();
}

Result<std::string> NotifySpool::read_front() const {
  if (waiting_.empty()) return Error{"nothing waiting"};
  return store_->read(waiting_.front());
}

Status NotifySpool::pop_front() {
  if (waiting_.empty()) return {};
  if (Status s = store_->delivered(waiting_.front()); !s) return s;
  waiting_.erase(waiting_.begin());
  return {};
}

std::chrono::milliseconds notify_retry_delay(int failures, std::chrono::milliseconds max,
                                             std::chrono::milliseconds base) {
  std::chrono::milliseconds d = base;
  for (int i = 1; i < failures && d < max; ++i) d *= 2;
  return std::min(d, max);
}

}  // namespace vigil::resourced
