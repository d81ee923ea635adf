#include "heartbeatd/state/sequence_record.h"

#include <sodium.h>

#include <charconv>
#include <vector>

namespace vigil::state {

namespace {

constexpr std::string_view kMagic = "vigil-seq1";
constexpr std::size_t kCheckBytes = 8;
constexpr std::size_t kMaxBootIdBytes = 64;

std::string check_of(std::string_view text) {
  unsigned char digest[kCheckBytes];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  char hex[kCheckBytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, kCheckBytes * 2);
}

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> words;
  while (!line.empty()) {
    const std::size_t space = line.find(' ');
    words.push_back(line.substr(0, space));
    if (space == std::string_view::npos) break;
    line.remove_prefix(space + 1);
  }
  return words;
}

}  // namespace

std::string format_sequence_record(const SequenceRecord& record) {
  std::string line(kMagic);
  line += ' ' + record.boot_id;
  line += ' ' + std::to_string(record.generation);
  line += ' ' + std::to_string(record.last_seq);
  line += ' ' + std::to_string(record.sent_at.count());
  line += ' ' + check_of(line);
  line += '\n';
  line.resize(kRecordBytes, ' ');
  return line;
}

std::optional<SequenceRecord> parse_sequence_record(std::string_view bytes) {
  const std::size_t eol = bytes.find('\n');
  if (eol == std::string_view::npos) return std::nullopt;
  const std::string_view line = bytes.substr(0, eol);
  const auto words = split_spaces(line);
  if (words.size() != 6 || words[0] != kMagic) return std::nullopt;
  const std::size_t checked = line.size() - words[5].size() - 1;
  if (words[5] != check_of(line.substr(0, checked))) return std::nullopt;
  if (words[1].empty() || words[1].size() > kMaxBootIdBytes) return std::nullopt;
  const auto generation = parse_u64(words[2]);
  const auto seq = parse_u64(words[3]);
  const auto sent_at = parse_u64(words[4]);
  if (!generation || !seq || !sent_at) return std::nullopt;
  return SequenceRecord{std::string(words[1]), *generation, *seq,
                        Duration(static_cast<Duration::rep>(*sent_at))};
}

}  // namespace vigil::state
