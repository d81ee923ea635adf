#include "heartbeatd/state/sequence_store.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "heartbeatd/state/sequence_record.h"

namespace vigil::state {

namespace {

std::optional<std::uint64_t> parse_generation(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

bool usable_boot_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

Result<SequenceStore> SequenceStore::open(StateEnv& env, Duration continuation_window,
                                          ReservationPolicy policy) {
  // Lock first: everything below must not race a second heartbeatd.
  auto record_file = env.open_record(kSequenceFile);
  if (!record_file) return record_file.error();
  auto boot_id = env.boot_id();
  if (!boot_id) return boot_id.error();
  if (!usable_boot_id(*boot_id)) return Error{"unusable boot id '" + *boot_id + "'"};
  auto generation_text = env.read_file(kGenerationFile);
  if (!generation_text) return generation_text.error();

  // A plain value and flag rather than an optional: g++ 12 warns
  // (wrongly) that the optional's value may be read uninitialised.
  std::uint64_t stored_generation = 0;
  bool have_stored_generation = false;
  if (*generation_text) {
    if (auto parsed = parse_generation(**generation_text)) {
      stored_generation = *parsed;
      have_stored_generation = true;
    }
  }
  const std::optional<SequenceRecord> record =
      parse_sequence_record((*record_file)->initial_contents());
  const Duration now = env.since_boot();

  SequenceStart start;
  if (have_stored_generation && record && record->boot_id == *boot_id &&
      record->generation == stored_generation && record->sent_at <= now &&
      now - record->sent_at < continuation_window &&
      record->last_seq < std::numeric_limits<std::uint64_t>::max()) {
    start.generation = stored_generation;
    start.first_seq = record->last_seq + 1;
    start.continued = true;
    // The record stays as it is: its time is that of the last write before
    // a real send, so restarts in a loop cannot stretch the window forever.
    // Its mark may be above the last seq that went out: peers see a gap.
  } else {
    // §5.8: without a generation file heartbeat starts from time().
    std::uint64_t base = 0;
    if (have_stored_generation) {
      base = stored_generation;
    } else {
      start.generation_seeded = true;
      base = static_cast<std::uint64_t>(std::max<std::int64_t>(env.unix_time(), 0));
    }
    // The record's generation was durable before it was used, so it is
    // normally <= the file's; the max covers a generation file restored
    // from a backup.
    if (record) base = std::max(base, record->generation);
    if (base == std::numeric_limits<std::uint64_t>::max())
      return Error{"generation counter exhausted"};
    start.generation = base + 1;
    start.first_seq = 1;
    if (Status st = env.write_durable(kGenerationFile, std::to_string(start.generation) + "\n");
        !st)
      return st.error();
    // Nothing sent yet: a restart before the first send may continue this
    // generation at seq 1.
    const SequenceRecord fresh{*boot_id, start.generation, 0, now};
    if (Status st = (*record_file)->overwrite(format_sequence_record(fresh)); !st)
      return st.error();
  }
  return SequenceStore(env, std::move(*record_file), std::move(*boot_id), start, policy);
}

Status SequenceStore::record_sent(std::uint64_t seq) {
  if (seq <= last_recorded_)
    return Error{"sequence number " + std::to_string(seq) + " already used in generation " +
                 std::to_string(start_.generation)};
  if (const auto mark = mark_to_write(seq, reserved_, policy_)) {
    const SequenceRecord record{boot_id_, start_.generation, *mark, env_->since_boot()};
    if (Status st = record_->overwrite(format_sequence_record(record)); !st) return st;
    reserved_ = *mark;
  }
  last_recorded_ = seq;
  return ok_status();
}

Status SequenceStore::end_generation() {
  // open() continues a generation only below the largest seq, so this
  // record makes the next start a new generation (max(file, record) + 1).
  constexpr std::uint64_t kEnded = std::numeric_limits<std::uint64_t>::max();
  const SequenceRecord record{boot_id_, start_.generation, kEnded, env_->since_boot()};
  if (Status st = record_->overwrite(format_sequence_record(record)); !st) return st;
  last_recorded_ = kEnded;
  reserved_ = kEnded;
  return ok_status();
}

}  // namespace vigil::state
