// journald MESSAGE_IDs of vigil's event kinds: one 128-bit id per
// VIGIL_EVENT value that packaging/journal/vigil.catalog documents, so
// `journalctl -x` explains the event and `journalctl MESSAGE_ID=...` finds
// every occurrence whatever the text says.
//
// log::write adds the MESSAGE_ID itself to every event whose VIGIL_EVENT is
// in this table (unless the caller set one): code that logs an event kind
// only names the kind. The table and the catalog must list the same kinds
// with the same ids; tests/common/test_log_message_ids.cpp reads the
// catalog and checks both directions.
//
// The ids are stable: a kind keeps its id for ever, a new kind gets a new
// random one (`systemd-id128 new`), and the catalog entry comes with it.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace vigil::log {

struct MessageKind {
  std::string_view event;       // VIGIL_EVENT value, e.g. "node-dead"
  std::string_view message_id;  // 32 lowercase hex digits
  // The SYSLOG_IDENTIFIER of the only daemon whose events of this kind the
  // catalog describes ("heartbeat" for heartbeatd), or empty for any. Used
  // where two daemons use one VIGIL_EVENT word for different things (ipd's
  // "link-up" is an interface, heartbeatd's a heartbeat link).
  std::string_view only_ident;
};

// Every catalogued kind, in catalog order.
std::span<const MessageKind> message_kinds();

// The MESSAGE_ID for `event` logged by a process whose identifier is
// `ident`; nullopt if that event kind has none.
std::optional<std::string_view> message_id_for(std::string_view event, std::string_view ident);

}  // namespace vigil::log
