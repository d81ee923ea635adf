// What an agent wrote: kept for the result (the tail, and stdout for the
// ownership test) and cut into lines for the log. Pure; the executor feeds
// it the bytes it reads.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace vigil::resourced {

// Bytes of combined output returned in a result.
inline constexpr std::size_t kOutputTailBytes = 4096;
// Bytes of stdout kept for the ownership test (§3.3); status output is a
// line or two, this bounds a runaway script.
inline constexpr std::size_t kStdoutKeepBytes = 65536;
// A line longer than this is logged in pieces.
inline constexpr std::size_t kMaxLogLine = 4096;

class OutputCapture {
 public:
  using LineSink = std::function<void(std::string_view line)>;
  explicit OutputCapture(LineSink sink) : sink_(std::move(sink)) {}

  void add_stdout(std::string_view bytes);
  void add_stderr(std::string_view bytes);
  // Logs the unterminated last line of each stream, if any.
  void flush();

  // The last kOutputTailBytes of stdout and stderr, in the order read.
  std::string tail() const;
  // The first kStdoutKeepBytes of stdout.
  const std::string& stdout_text() const { return stdout_; }

 private:
  void add(std::string& partial, std::string_view bytes);

  LineSink sink_;
  std::string tail_;
  std::string stdout_;
  std::string partial_out_;
  std::string partial_err_;
};

}  // namespace vigil::resourced
