// authkeys -> AuthKeys (heartbeat-compat.md §4.1, §4.2).
//
// Permission rule (§4.1): the file is opened, then fstat'ed; if group or
// others may read it, it is rejected (0600 0400 0700 0620 pass; 0640 0604
// 0644 fail). The owner is not checked, as in heartbeat.
//
// Grammar (§4.2): blank lines and lines starting with `#` are ignored (a
// later `#` is not a comment); `auth N` selects the signing key and must come
// before the line of key N; key lines are `ID METHOD [KEY]`, ID 0–15,
// METHOD crc (no key), md5, sha1, or vigil's sha256 (HMAC-SHA256), each of
// the last three needing a key (the first blank-free token; the rest of the
// line is ignored). Keys land in SecretBytes; the file's text is wiped.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "conf/config.h"
#include "conf/diagnostics.h"

namespace vigil::conf {

// True if `mode` passes §4.1 (no read bit for group or others).
bool authkeys_mode_ok(mode_t mode);

// Opens `path`, checks its mode on the open descriptor, reads and parses it.
AuthKeys load_authkeys(const std::string& path, Diagnostics& diag);

// The grammar alone, on text already read. `file` names it in messages.
AuthKeys parse_authkeys(std::string_view text, std::string_view file, Diagnostics& diag);

// "crc", "md5", "sha1", "sha256".
std::string_view auth_method_name(AuthMethod m);

}  // namespace vigil::conf
