// Agent and script output would drown the test report: tests that run real
// scripts send the log nowhere (or read it through log::ScopedCapture).
#pragma once

#include "common/log.h"

namespace vigil::resourced::testing {

inline void quiet_log() {
  log::LogConfig quiet;
  quiet.force_backend = log::Backend::kNone;
  (void)log::init(quiet);
}

}  // namespace vigil::resourced::testing
