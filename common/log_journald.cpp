#include "common/log_journald.h"

#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace vigil::log {

JournaldSink::JournaldSink(std::string ident, std::optional<int> facility)
    : ident_(std::move(ident)), facility_(facility) {}

std::vector<std::string> journal_items(const Event& event, std::string_view ident,
                                       std::optional<int> facility) {
  std::vector<std::string> items;
  items.reserve(4 + event.fields.size());
  items.push_back(fmt::format("MESSAGE={}", event.text));
  items.push_back(fmt::format("PRIORITY={}", syslog_priority(event.priority)));
  items.push_back(fmt::format("SYSLOG_IDENTIFIER={}", ident));
  if (facility) items.push_back(fmt::format("SYSLOG_FACILITY={}", *facility));
  for (const auto& [name, value] : event.fields) items.push_back(name + "=" + value);
  return items;
}

void JournaldSink::write(const Event& event) {
  // sd_journal_sendv encodes values holding newlines itself, so a text
  // that came from a script cannot forge extra fields.
  std::vector<std::string> items = journal_items(event, ident_, facility_);
  std::vector<iovec> iov;
  iov.reserve(items.size());
  for (auto& item : items) iov.push_back(iovec{item.data(), item.size()});
  sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
}

bool journal_stream_matches(const char* journal_stream, int fd) {
  if (journal_stream == nullptr) return false;
  unsigned long long dev = 0;
  unsigned long long ino = 0;
  char tail = 0;
  if (std::sscanf(journal_stream, "%llu:%llu%c", &dev, &ino, &tail) != 2) return false;
  struct stat st {};
  if (fstat(fd, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == dev &&
         static_cast<unsigned long long>(st.st_ino) == ino;
}

bool stderr_is_journal() {
  return journal_stream_matches(std::getenv("JOURNAL_STREAM"), STDERR_FILENO);
}

}  // namespace vigil::log
