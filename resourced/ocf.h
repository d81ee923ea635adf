// OCF resource agent API constants (OCF RA API 1.0/1.1, as implemented by
// Debian's resource-agents under /usr/lib/ocf).
#pragma once

namespace vigil::resourced::ocf {

constexpr int kRaVersionMajor = 1;
constexpr int kRaVersionMinor = 0;

// Exit codes of start, stop and monitor.
constexpr int kSuccess = 0;
constexpr int kErrGeneric = 1;
constexpr int kErrArgs = 2;
constexpr int kErrUnimplemented = 3;
constexpr int kErrPerm = 4;
constexpr int kErrInstalled = 5;
constexpr int kErrConfigured = 6;
constexpr int kNotRunning = 7;
constexpr int kRunningMaster = 8;
constexpr int kFailedMaster = 9;

}  // namespace vigil::resourced::ocf
