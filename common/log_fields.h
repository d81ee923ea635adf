// journald field-name rules, applied to the caller's structured fields
// before any backend sees them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"

namespace vigil::log {

// journald's rule for a field a client may set: 1..64 characters of A-Z,
// 0-9 and '_', not starting with a digit or '_' (names starting with '_'
// are the journal's own trusted fields).
bool valid_field_name(std::string_view name);

// Names the logger sets itself; a caller's field with one of them is
// dropped so the journal entry has exactly one of each.
bool reserved_field_name(std::string_view name);

struct CheckedFields {
  Fields kept;
  std::vector<std::string> dropped;  // names, in the order given
};

// Splits `fields` into those a backend may write and the names dropped.
CheckedFields check_fields(const Fields& fields);

}  // namespace vigil::log
