#include "conf/log_settings.h"

namespace vigil::conf {

log::LogConfig log_settings(const HaCf& cf, std::string ident) {
  log::LogConfig lc;
  lc.ident = std::move(ident);
  lc.debug = cf.debug;
  lc.logfile = cf.logfile;
  lc.debugfile = cf.debugfile;
  lc.logfacility = cf.logfacility;
  lc.syslogmsgfmt = cf.syslogmsgfmt;
  return lc;
}

}  // namespace vigil::conf
