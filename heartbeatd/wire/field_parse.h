// Internal to the wire library: the checks both decoders apply to one
// field, so the two encodings accept exactly the same names and types.
#pragma once

#include <optional>
#include <string_view>

#include "common/result.h"
#include "heartbeatd/wire/message.h"

namespace vigil::wire::internal {

// Splits `[(<digit>)]name=value` (the classic line without '\n', or the
// netstring payload, where the type prefix is mandatory). The value is
// returned as written; the caller undoes base64 / 0x13 mapping.
struct RawField {
  FieldType type = FieldType::kString;
  std::string_view name;
  std::string_view value;
};
Result<RawField> split_field(std::string_view text, bool type_prefix_required);

}  // namespace vigil::wire::internal
