#include "common/log_message_ids.h"

#include <array>

namespace vigil::log {

namespace {

// Same order as packaging/journal/vigil.catalog. Which code emits each
// kind: daemon-*/config-error the three mains; node-*, link-*,
// late-heartbeat heartbeatd/core/log_texts.cpp; auth-failed
// heartbeatd/node/cluster_node.cpp; group-*, standby-request, takeover
// and leftover-release heartbeatd/ownership; lease-expired ipd/server.cpp and
// resourced/server.cpp; vip-removed ipd/server.cpp; vip-lost and resource-*
// heartbeatd/engine/resource_engine.cpp; health-*
// heartbeatd/engine/health_monitor.cpp (health-declined heartbeatd/ownership);
// maintenance-* heartbeatd/ownership/maintenance.cpp and standby.cpp.
constexpr std::array kKinds{
    MessageKind{"daemon-started", "092c6a5f35644e55a1289d9ef7d7fb50", ""},
    MessageKind{"daemon-stopping", "73179e9ec7a64c5aa05a3ecd6c410217", ""},
    MessageKind{"node-dead", "75097c7698bc489d91369c21d5fadbb9", "heartbeat"},
    MessageKind{"node-status", "aa928bec61da4f5cbc5798530677155c", "heartbeat"},
    MessageKind{"link-dead", "2124e44d4bf34992806b99d00100246b", "heartbeat"},
    MessageKind{"link-up", "84b9fd5d6e5b468daeb8dffbb8215907", "heartbeat"},
    MessageKind{"group-acquire", "5d0aca6e4be44eee94c8d22a7822f007", "heartbeat"},
    MessageKind{"group-release", "e89d8347b82c412ca62a143db955db7c", "heartbeat"},
    MessageKind{"group-start-failed", "fff1d837a5284e49a5ab805f33e4a660", "heartbeat"},
    MessageKind{"standby-request", "2cda35e0fb8847a89ab6f439131d52cb", "heartbeat"},
    MessageKind{"takeover", "dc5c2c51fe04498e8d58d14a758c462a", "heartbeat"},
    MessageKind{"late-heartbeat", "843d15bac62640fd96feb310b9b9e9e4", "heartbeat"},
    MessageKind{"auth-failed", "17c8e2ecd75842f69227fbb36706f1e5", "heartbeat"},
    MessageKind{"config-error", "148156f48d8f41f4bc214b8764eb0cf6", ""},
    MessageKind{"lease-expired", "66ce03eba9284e9a99e8d41e720353ed", ""},
    MessageKind{"vip-removed", "28cb67fedeb841169c7d66ef55c5493b", "ipd"},
    MessageKind{"vip-lost", "0c380adb155e4c7b9f70642790223230", "heartbeat"},
    MessageKind{"resource-lost", "d14970bfa40f4c06808110fda118f78d", "heartbeat"},
    MessageKind{"resource-restored", "f9de69ec912846c2a977257d8e5cf363", "heartbeat"},
    MessageKind{"resource-restore-failed", "c90d4b60f3ea439db8a06f093362a7c5", "heartbeat"},
    MessageKind{"leftover-release", "b27cd90ad71b4688956df8e8ce8133ee", "heartbeat"},
    MessageKind{"health-check-failed", "5750f23d8f7946b7bbc77fc3f79deeee", "heartbeat"},
    MessageKind{"health-restart", "feeb98afb3cb4737b66caa51f0b72a2b", "heartbeat"},
    MessageKind{"health-give-up", "b3ef8e959f9248c196a0b8a726f5d552", "heartbeat"},
    MessageKind{"health-stay-put", "0a8d75f7b9c245aaa2b1fb8db08fd5b5", "heartbeat"},
    MessageKind{"health-declined", "742b44c07e50464bb8bd4d1abc981158", "heartbeat"},
    MessageKind{"health-maintenance", "c1b5aaf6e0e7413bb8dd848e8a3b9102", "heartbeat"},
    MessageKind{"maintenance-held-back", "a4f173a35b2d4ff4bf0e1e866b945651", "heartbeat"},
    MessageKind{"maintenance-declined", "023c25eb6f2241ee8750763e7742a69c", "heartbeat"},
    MessageKind{"maintenance-takeover", "1177cafbf9504d4da2dfbd56d0dbd64b", "heartbeat"},
    MessageKind{"isolated-release", "2bf558fea22d4d78a624c2d33e0b620a", "heartbeat"},
    MessageKind{"two-holders-possible", "20bc7cd2c40e40fa9db92ae4a905151e", "heartbeat"},
    MessageKind{"ipfail-giveup", "63ed3849028347e6be459fb46353cbc3", "heartbeat"},
};

}  // namespace

std::span<const MessageKind> message_kinds() { return kKinds; }

std::optional<std::string_view> message_id_for(std::string_view event, std::string_view ident) {
  for (const MessageKind& kind : kKinds) {
    if (kind.event != event) continue;
    if (!kind.only_ident.empty() && kind.only_ident != ident) return std::nullopt;
    return kind.message_id;
  }
  return std::nullopt;
}

}  // namespace vigil::log
