#include "resourced/event_scripts.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace vigil::resourced {

namespace {

struct HeartbeatRcScript {
  std::string_view name;
  std::string_view sha256;  // as Debian's heartbeat 1:3.0.6-13 installed it
};

// /etc/ha.d/rc.d of the heartbeat package (its conffiles).
constexpr std::array<HeartbeatRcScript, 5> kHeartbeatRcScripts = {{
    {"ask_resources", "c152bd16f9108c8430f1d0a8f1f4615efb0f12190a56bc1e066668a4f5c19700"},
    {"hb_takeover", "2a867e92779ba6f0f9dc444690c9121e366466ca573a2b3d22f462d7c28b76d9"},
    {"ip-request", "ddcd7bd757af52b8d0d2fb9d5be88d28c4bce4992b61e0ecf43746f2c28f5ee6"},
    {"ip-request-resp", "fd3a080beef9bce32a206e233813680b258b0d02d5a5cc21ba1fa1d3094e4833"},
    {"status", "1f1d6edbf0dee327cca9d43a047cd9265ede139654e906531e5563217295b4a5"},
}};

bool is_heartbeats_own(std::string_view name, const std::string& path, const FileSystem& fs) {
  for (const HeartbeatRcScript& s : kHeartbeatRcScripts) {
    if (s.name != name) continue;
    const auto digest = fs.sha256_of(path);
    return digest && *digest == s.sha256;
  }
  return false;
}

}  // namespace

EventScriptSurvey survey_event_scripts(const std::string& rc_d, const FileSystem& fs) {
  EventScriptSurvey survey;
  for (proto::ClusterEvent event : proto::all_cluster_events()) {
    const std::string name(proto::event_name(event));
    const std::string path = fmt::format("{}/{}", rc_d, name);
    if (!fs.is_regular_file(path)) continue;
    if (is_heartbeats_own(name, path, fs))
      survey.heartbeats_own.push_back(name);
    else if (!fs.is_executable_file(path))
      survey.not_executable.push_back(name);
    else
      survey.scripts.push_back({event, path});
  }
  return survey;
}

std::optional<std::string> event_script_for(const EventScriptSurvey& survey,
                                            proto::ClusterEvent event) {
  for (const EventScript& s : survey.scripts)
    if (s.event == event) return s.path;
  return std::nullopt;
}

std::string describe_event_scripts(const EventScriptSurvey& survey, const std::string& rc_d) {
  std::vector<std::string> names;
  for (const EventScript& s : survey.scripts) names.emplace_back(proto::event_name(s.event));
  std::string text =
      names.empty() ? fmt::format("rc.d event scripts in {}: none", rc_d)
                    : fmt::format("rc.d event scripts in {}: {}", rc_d, fmt::join(names, ", "));
  if (!survey.heartbeats_own.empty())
    text += fmt::format(
        "; heartbeat's own, left by a removed heartbeat package (not run: vigil does their work "
        "itself): {}",
        fmt::join(survey.heartbeats_own, ", "));
  if (!survey.not_executable.empty())
    text += fmt::format("; not executable (not run, as harc would refuse them): {}",
                        fmt::join(survey.not_executable, ", "));
  return text;
}

}  // namespace vigil::resourced
