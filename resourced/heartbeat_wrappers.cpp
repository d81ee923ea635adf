#include "resourced/heartbeat_wrappers.h"

#include <fmt/format.h>

#include <algorithm>

namespace vigil::resourced {

namespace {

using Args = std::vector<std::string>;

// The common shape: argument i sets names[i]; from `min` to names.size()
// arguments. The wrappers test `$#` and print their usage otherwise.
Result<OcfParams> positional(const Args& args, std::initializer_list<std::string_view> names,
                             std::size_t min) {
  if (args.size() < min || args.size() > names.size())
    return Error{
        min == names.size()
            ? fmt::format("{} argument{} needed, {} given", min, min == 1 ? "" : "s", args.size())
            : fmt::format("{} to {} arguments needed, {} given", min, names.size(), args.size())};
  OcfParams p;
  auto name = names.begin();
  for (const std::string& a : args) p.emplace_back(std::string(*name++), a);
  return p;
}

// AudibleAlarm: `nodelist=\`echo $* | sed 's%'$op'$%%'\``: every argument
// and a blank, the action cut off the end; empty but set without nodes.
Result<OcfParams> audible_alarm(const Args& args, const FileSystem&) {
  std::string nodes;
  for (const std::string& a : args) nodes += a + " ";
  return OcfParams{{"nodelist", nodes}};
}

// Delay: startdelay, stopdelay. (The wrapper's default of 10 for a missing
// startdelay is never exported, so the agent's own default applies.)
Result<OcfParams> delay(const Args& args, const FileSystem&) {
  return positional(args, {"startdelay", "stopdelay"}, 0);
}

// Filesystem: device directory [fstype [options]]. With more, the wrapper
// takes the fifth argument for the action and fails.
Result<OcfParams> filesystem(const Args& args, const FileSystem&) {
  return positional(args, {"device", "directory", "fstype", "options"}, 2);
}

Result<OcfParams> icp(const Args& args, const FileSystem&) {
  return positional(args, {"driveid", "device"}, 2);
}
Result<OcfParams> ipsrcaddr(const Args& args, const FileSystem&) {
  return positional(args, {"ipaddress"}, 1);
}
Result<OcfParams> lvm(const Args& args, const FileSystem&) {
  return positional(args, {"volgrpname"}, 1);
}
Result<OcfParams> linux_scsi(const Args& args, const FileSystem&) {
  return positional(args, {"scsi"}, 1);
}
Result<OcfParams> mail_to(const Args& args, const FileSystem&) {
  return positional(args, {"email", "subject"}, 1);
}
Result<OcfParams> raid1(const Args& args, const FileSystem&) {
  return positional(args, {"raidconf", "raiddev"}, 2);
}

// SendArp: IP/NIC. NIC is the argument with "IP/" removed, so without a
// '/' the wrapper passes the address as the nic too.
Result<OcfParams> send_arp(const Args& args, const FileSystem&) {
  if (args.size() != 1) return Error{fmt::format("1 argument needed, {} given", args.size())};
  const std::string& a = args[0];
  const std::string ip = a.substr(0, a.find('/'));
  std::string nic = a;
  if (const auto at = a.find(ip + "/"); at != std::string::npos) nic.erase(at, ip.size() + 1);
  return OcfParams{{"ip", ip}, {"nic", nic}};
}

Result<OcfParams> serve_raid(const Args& args, const FileSystem&) {
  return positional(args, {"serveraid", "mergegroup"}, 2);
}

// WAS: an existing file is the configuration, all digits the port.
Result<OcfParams> was(const Args& args, const FileSystem& fs) {
  if (args.size() > 1) return Error{fmt::format("0 or 1 argument needed, {} given", args.size())};
  if (args.empty()) return OcfParams{};
  const std::string& a = args[0];
  if (fs.is_regular_file(a)) return OcfParams{{"config", a}};
  if (std::all_of(a.begin(), a.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return OcfParams{{"port", a}};
  return Error{fmt::format("{} is neither a WAS configuration file nor a port number", a)};
}

// WinPopup: the host file, "hosts" when not given.
Result<OcfParams> win_popup(const Args& args, const FileSystem&) {
  if (args.size() > 1) return Error{fmt::format("0 or 1 argument needed, {} given", args.size())};
  return OcfParams{{"hostfile", args.empty() ? "hosts" : args[0]}};
}

Result<OcfParams> xinetd(const Args& args, const FileSystem&) {
  return positional(args, {"service"}, 1);
}
Result<OcfParams> apache(const Args& args, const FileSystem&) {
  return positional(args, {"configfile"}, 0);
}
Result<OcfParams> db2(const Args& args, const FileSystem&) {
  return positional(args, {"instance"}, 1);
}

// ids: none or all three.
Result<OcfParams> ids(const Args& args, const FileSystem&) {
  if (args.size() != 0 && args.size() != 3)
    return Error{fmt::format("0 or 3 arguments needed, {} given", args.size())};
  return positional(args, {"informixdir", "informixserver", "onconfig"}, 0);
}

Result<OcfParams> portblock(const Args& args, const FileSystem&) {
  return positional(args, {"protocol", "portno", "action"}, 3);
}

}  // namespace

const std::vector<HeartbeatWrapper>& heartbeat_wrappers() {
  static const std::vector<HeartbeatWrapper> table = {
      {"AudibleAlarm",
       "AudibleAlarm",
       "[NODE[::NODE...]]",
       "0c49e783df888f36c11c7f675530cf35b551dbf0b17c7804f1b797594177bb35",
       audible_alarm,
       {}},
      {"Delay",
       "Delay",
       "[STARTDELAY[::STOPDELAY]]",
       "dbc65054134c64f40741e89e38a0da5a79042eec8c215073169a45ea5e1ad2f0",
       delay,
       {}},
      {"Filesystem",
       "Filesystem",
       "DEVICE::DIRECTORY[::FSTYPE[::OPTIONS]]",
       "d274284749b9d3ef47def441b13bf3cf32d96ace986d851c7b594824d0322c90",
       filesystem,
       {}},
      {"ICP",
       "ICP",
       "DRIVEID::DEVICE",
       "23b8d940f2e4c1a58e8c49c4732832660d4fc97e73e90ef92f1eee05a92e9efc",
       icp,
       {}},
      {"IPsrcaddr",
       "IPsrcaddr",
       "IPADDRESS",
       "1dc565f89b0fa5d2724a828a3ef39590c0aef65b63366af072e187c57b9a821f",
       ipsrcaddr,
       {}},
      {"LVM",
       "LVM",
       "VOLGRPNAME",
       "5c08d5133f8e3a661bb4a99124ac09711ed9f70718d21168beb30c57b38408f6",
       lvm,
       {}},
      {"LinuxSCSI",
       "LinuxSCSI",
       "HOST:CHANNEL:TARGET[:LUN]",
       "1c7a8d9b90a54162ebf96b7769300cea4b4eabb2da942d2335c5fd4f0ed0d8ac",
       linux_scsi,
       {}},
      {"MailTo",
       "MailTo",
       "EMAIL[::SUBJECT]",
       "e31c73e4fd2017fa0d2e08f3f9d760956070efee5f05a8907e8fa9f1dfb55529",
       mail_to,
       {}},
      {"Raid1",
       "Raid1",
       "RAIDCONF::RAIDDEV",
       "3cb12b5a7e6a041058b1b369e0973f38e896aae38640d2b985daaff37394351c",
       raid1,
       {}},
      {"SendArp",
       "SendArp",
       "IP/NIC",
       "754799bc1f0c2a16d0cda97995aec1d3eab3aa373275fb16fa590cd60beaec60",
       send_arp,
       {}},
      {"ServeRAID",
       "ServeRAID",
       "SERVERAID::MERGEGROUP",
       "0cf592d47e8800971f72c1a09894e7488b4170e87ad61fca6f54f9c35493fc1e",
       serve_raid,
       {}},
      {"WAS",
       "WAS",
       "[CONFIGFILE|PORT]",
       "d11e7fab2f78d27e05245695fbba8acc12c5715ab06819bfba7220ebcbb1b7db",
       was,
       {}},
      {"WinPopup",
       "WinPopup",
       "[HOSTFILE]",
       "61fdd22e2006b1d05c0982c17ccd3db2eabb12deff9f107cf0966754c54320b8",
       win_popup,
       {}},
      {"Xinetd",
       "Xinetd",
       "SERVICE",
       "44966c1998ad2accca741cbc19a9820a7221cf43d7194a67827b1ee2185deb30",
       xinetd,
       {}},
      {"apache",
       "apache",
       "[CONFIGFILE]",
       "0f0837739bb5b8c28e124ce7bc1a433e7fb2c2000aafc8e995c966bae07c2fc0",
       apache,
       {}},
      {"db2",
       "db2",
       "INSTANCE",
       "35e49c1a46ed4dc6e5c2d3c8c49440b37d6bf30b2644fe946ed74b7d5ee75ea9",
       db2,
       {}},
      {"ids",
       "ids",
       "[INFORMIXDIR::INFORMIXSERVER::ONCONFIG]",
       "75ca13c8c449068dd45f95f24c59de47324c6337539e85928878f149344ec033",
       ids,
       {}},
      {"portblock",
       "portblock",
       "{udp|tcp}::PORTNO[,PORTNO...]::{block|unblock}",
       "9e18e6dc8ec3bb1b7c9c38b2cf1b5a5af9718f5ee63e6b783d6de3ec82d25fea",
       portblock,
       {}},
      // resource.d/OCF looks agents up as OCF_AGENTS/*/NAME, one directory
      // below resource-agents' /usr/lib/ocf/resource.d/heartbeat/, where
      // none are: with Debian 12's resource-agents it only prints its usage.
      {"OCF",
       {},
       "RESOURCE-NAME::INSTANCE-NAME",
       "7b6781aed6131a3f269a7d9755c51437833fa3d246087a6e897ebcc3cd4eb342",
       nullptr,
       "heartbeat's OCF wrapper finds no agent with this resource-agents (it looks one directory "
       "below OCF_AGENTS); write ocf:heartbeat:NAME::KEY=VALUE... instead"},
  };
  return table;
}

const HeartbeatWrapper* find_heartbeat_wrapper(std::string_view name) {
  for (const HeartbeatWrapper& w : heartbeat_wrappers())
    if (w.name == name) return &w;
  return nullptr;
}

Result<OcfParams> map_wrapper_arguments(const HeartbeatWrapper& wrapper, const Args& args,
                                        const FileSystem& fs) {
  if (wrapper.map == nullptr) return Error{std::string(wrapper.why_not)};
  auto params = wrapper.map(args, fs);
  if (!params)
    return Error{fmt::format("heartbeat's {} wrapper would refuse it ({}); expected {}::{}",
                             wrapper.name, params.error().message, wrapper.name, wrapper.usage)};
  return params;
}

}  // namespace vigil::resourced
