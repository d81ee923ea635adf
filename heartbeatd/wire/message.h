// A heartbeat cluster message: an ordered list of named fields
// (heartbeat-compat.md §5.2–§5.4). Order matters: the classic signature is
// computed over the fields in the order they were received (§5.5), and
// control fields are appended in a fixed order (§5.4).
//
// Values are raw bytes. String fields (type 0) are text; binary fields
// (type 1, e.g. `srcuuid`) are the raw bytes, base64 only in the classic
// encoding. Nested struct/list fields (types 2/3) are kept as their encoded
// bytes: v1 never needs to look inside them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::wire {

enum class FieldType : std::uint8_t {
  kString = 0,
  kBinary = 1,
  kStruct = 2,
  kList = 3,
  kCompressed = 4,
  kUncompressed = 5,
};

struct Field {
  std::string name;
  FieldType type = FieldType::kString;
  std::string value;

  bool operator==(const Field&) const = default;
};

class Message {
 public:
  Message() = default;
  explicit Message(std::vector<Field> fields) : fields_(std::move(fields)) {}

  // The value of the first field with this name, if any.
  const std::string* get(std::string_view name) const {
    for (const auto& f : fields_)
      if (f.name == name) return &f.value;
    return nullptr;
  }
  std::string_view get_or(std::string_view name, std::string_view fallback) const {
    const std::string* v = get(name);
    return v ? std::string_view(*v) : fallback;
  }
  bool has(std::string_view name) const { return get(name) != nullptr; }

  // Replaces the value of an existing field in place (keeping its position,
  // as heartbeat does for control fields), or appends a new one.
  void set(std::string_view name, std::string value,
           FieldType type = FieldType::kString) {
    for (auto& f : fields_) {
      if (f.name == name) {
        f.value = std::move(value);
        f.type = type;
        return;
      }
    }
    fields_.push_back(Field{std::string(name), type, std::move(value)});
  }
  void remove(std::string_view name) {
    std::erase_if(fields_, [&](const Field& f) { return f.name == name; });
  }

  // `t`, the message type; empty when missing.
  std::string_view type() const { return get_or("t", ""); }

  const std::vector<Field>& fields() const { return fields_; }
  std::vector<Field>& fields() { return fields_; }

  bool operator==(const Message&) const = default;

 private:
  std::vector<Field> fields_;
};

}  // namespace vigil::wire
