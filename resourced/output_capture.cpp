#include "resourced/output_capture.h"

namespace vigil::resourced {

void OutputCapture::add_stdout(std::string_view bytes) {
  if (stdout_.size() < kStdoutKeepBytes)
    stdout_.append(bytes.substr(0, kStdoutKeepBytes - stdout_.size()));
  add(partial_out_, bytes);
}

void OutputCapture::add_stderr(std::string_view bytes) { add(partial_err_, bytes); }

void OutputCapture::add(std::string& partial, std::string_view bytes) {
  tail_.append(bytes);
  // Trim in bulk, not per read, to keep appends amortised O(1).
  if (tail_.size() > 2 * kOutputTailBytes) tail_.erase(0, tail_.size() - kOutputTailBytes);
  for (char c : bytes) {
    if (c == '\n') {
      sink_(partial);
      partial.clear();
    } else {
      partial.push_back(c);
      if (partial.size() >= kMaxLogLine) {
        sink_(partial);
        partial.clear();
      }
    }
  }
}

void OutputCapture::flush() {
  for (std::string* partial : {&partial_out_, &partial_err_}) {
    if (partial->empty()) continue;
    sink_(*partial);
    partial->clear();
  }
}

std::string OutputCapture::tail() const {
  if (tail_.size() <= kOutputTailBytes) return tail_;
  return tail_.substr(tail_.size() - kOutputTailBytes);
}

}  // namespace vigil::resourced
