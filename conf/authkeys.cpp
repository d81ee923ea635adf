#include "conf/authkeys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <vector>

#include "common/unique_fd.h"
#include "conf/text.h"

namespace vigil::conf {

namespace {

constexpr int kMaxKeyId = 15;  // heartbeat's code accepts 0–15 (§11)

// Blank-separated pieces as views into the text, so that no copy of a key
// is left behind in memory we do not wipe.
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (is_blank(s[i]) || s[i] == '\f')) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_blank(s[j]) && s[j] != '\f') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<AuthMethod> method_from(std::string_view name) {
  for (AuthMethod m : {AuthMethod::kCrc, AuthMethod::kMd5, AuthMethod::kSha1, AuthMethod::kSha256})
    if (auth_method_name(m) == name) return m;
  return std::nullopt;
}

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

}  // namespace

std::string_view auth_method_name(AuthMethod m) {
  switch (m) {
    case AuthMethod::kCrc: return "crc";
    case AuthMethod::kMd5: return "md5";
    case AuthMethod::kSha1: return "sha1";
    case AuthMethod::kSha256: return "sha256";
  }
  return "?";
}

bool authkeys_mode_ok(mode_t mode) { return (mode & (S_IRGRP | S_IROTH)) == 0; }

AuthKeys parse_authkeys(std::string_view text, std::string_view file, Diagnostics& diag) {
  AuthKeys keys;
  const std::string f(file);
  int auth_line = 0;
  std::set<int> after_auth;  // key ids defined after the auth line (§4.2)
  std::set<int> broken;      // key ids whose line was reported as wrong
  bool bad_auth_line = false;  // an `auth` line was reported as wrong
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line = static_cast<int>(i + 1);
    const std::string_view l = trim(lines[i]);
    if (l.empty() || l.front() == '#') continue;
    const auto w = words(l);
    if (l.front() == 'a') {
      const auto id = w.size() >= 2 && w[0] == "auth" ? parse_int(w[1], 0, kMaxKeyId) : std::nullopt;
      if (!id) {
        bad_auth_line = true;
        diag.error(file, line, "Auth line [" + std::string(l) + "] is invalid",
                   "expected `auth N` with N from 0 to 15");
        continue;
      }
      if (auth_line != 0) {
        diag.error(file, line, "second auth directive, the first is on line " + std::to_string(auth_line),
                   "expected exactly one `auth N` line");
        continue;
      }
      auth_line = line;
      keys.active_id = static_cast<int>(*id);
      continue;
    }
    // Never quote a key line in a message: it may hold the key.
    const auto id = w.size() >= 2 ? parse_int(w[0], 0, kMaxKeyId) : std::nullopt;
    if (!id) {
      diag.error(file, line, "Auth line is invalid (key line not shown, it may hold a key)",
                 "expected `ID METHOD [KEY]` with ID from 0 to 15, or `auth ID`");
      continue;
    }
    const auto method = method_from(w[1]);
    if (!method) {
      diag.error(file, line, "Invalid authtype [" + std::string(w[1]) + "]",
                 "expected crc, md5, sha1 or sha256");
      broken.insert(static_cast<int>(*id));
      continue;
    }
    const bool has_key = w.size() >= 3;
    if (*method == AuthMethod::kCrc && has_key) {
      diag.error(file, line, "Auth method [crc] doesn't use a key", "expected `" + std::to_string(*id) + " crc`");
      broken.insert(static_cast<int>(*id));
      continue;
    }
    if (*method != AuthMethod::kCrc && !has_key) {
      diag.error(file, line, "Auth method [" + std::string(w[1]) + "] requires a key",
                 "expected `" + std::to_string(*id) + " " + std::string(w[1]) + " KEY`");
      broken.insert(static_cast<int>(*id));
      continue;
    }
    if (keys.find(static_cast<int>(*id)) != nullptr) {
      diag.error(file, line, "key id " + std::to_string(*id) + " is defined twice",
                 "expected one line per key id");
      continue;
    }
    if (w.size() > 3)
      diag.warn(file, line, "text after the key is ignored: keys cannot contain blanks");
    AuthKey k;
    k.id = static_cast<int>(*id);
    k.method = *method;
    if (has_key) k.key = SecretBytes(w[2]);
    keys.keys.push_back(std::move(k));
    if (auth_line != 0) after_auth.insert(static_cast<int>(*id));
  }
  const int last = static_cast<int>(lines.size());
  if (auth_line == 0 && bad_auth_line) {
    // Already reported; "missing" would only repeat it.
  } else if (auth_line == 0) {
    diag.error(file, last, "Missing auth directive in keyfile [" + f + "]",
               "expected an `auth N` line before the key lines");
  } else if (broken.count(keys.active_id) != 0) {
    // Its line is already reported; "not found" would only repeat it.
  } else if (after_auth.count(keys.active_id) == 0) {
    const bool before = keys.find(keys.active_id) != nullptr;
    diag.error(file, auth_line,
               "Auth Key [" + std::to_string(keys.active_id) + "] not found in keyfile [" + f + "]",
               before ? "expected the auth line before the line of key " + std::to_string(keys.active_id)
                      : "expected a line `" + std::to_string(keys.active_id) + " METHOD [KEY]` after it");
  } else {
    const AuthMethod m = keys.active().method;
    if (m == AuthMethod::kCrc)
      diag.warn(file, auth_line,
                "auth method crc authenticates nothing: anyone on the network can forge heartbeats; "
                "use sha1 (heartbeat-compatible) or sha256 (vigil only)");
    else if (m == AuthMethod::kSha256)
      diag.warn(file, auth_line, "auth method sha256 is understood by vigil only; heartbeat 3.0.x peers cannot verify it");
  }
  return keys;
}

AuthKeys load_authkeys(const std::string& path, Diagnostics& diag) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd) {
    diag.error(path, 0, "Cannot open keyfile [" + path + "].  Stop. (" + std::strerror(errno) + ")",
               "expected a readable authkeys file");
    return {};
  }
  // §4.1: the mode of the file actually opened, not of whatever the path
  // names a moment later.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    diag.error(path, 0, std::string("cannot stat keyfile: ") + std::strerror(errno));
    return {};
  }
  if (!authkeys_mode_ok(st.st_mode)) {
    diag.error(path, 0,
               "Bad permissions on keyfile [" + path + "], 600 recommended. (mode " + octal_mode(st.st_mode) +
                   " lets group or others read the keys)",
               "expected no read permission for group and others: chmod 600 " + path);
    return {};
  }
  std::string text;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      diag.error(path, 0, std::string("cannot read keyfile: ") + std::strerror(errno));
      sodium_memzero(buf, sizeof buf);
      sodium_memzero(text.data(), text.size());
      return {};
    }
    if (n == 0) break;
    // Grow explicitly and wipe the old buffer, so no stale copy of a key
    // stays in freed memory.
    std::string grown;
    grown.reserve(text.size() + static_cast<std::size_t>(n));
    grown.append(text).append(buf, static_cast<std::size_t>(n));
    sodium_memzero(text.data(), text.size());
    text.swap(grown);
  }
  sodium_memzero(buf, sizeof buf);
  AuthKeys keys = parse_authkeys(text, path, diag);
  sodium_memzero(text.data(), text.size());
  return keys;
}

}  // namespace vigil::conf
