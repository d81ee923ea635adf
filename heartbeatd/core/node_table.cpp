#include "heartbeatd/core/node_table.h"

#include <algorithm>
#include <cctype>

namespace vigil::core {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

NodeTable::NodeTable(const std::vector<std::string>& nodes, std::string_view local,
                     const std::vector<std::string>& ping_nodes) {
  for (const auto& name : nodes) {
    if (find(name) != nullptr) continue;  // the parser should have refused; be safe
    NodeState n;
    n.name = name;
    n.local = iequal(name, local);
    nodes_.push_back(std::move(n));
  }
  if (find(local) == nullptr) {
    NodeState n;
    n.name = std::string(local);
    n.local = true;
    nodes_.push_back(std::move(n));
  }
  for (const auto& name : ping_nodes) {
    if (find(name) != nullptr) continue;
    NodeState n;
    n.name = name;
    n.kind = NodeKind::kPing;
    nodes_.push_back(std::move(n));
  }
}

NodeState* NodeTable::find(std::string_view name) {
  // Names are stored lower-cased and peers send them so: exact match first.
  for (auto& n : nodes_)
    if (n.name == name) return &n;
  for (auto& n : nodes_)
    if (iequal(n.name, name)) return &n;
  return nullptr;
}

const NodeState* NodeTable::find(std::string_view name) const {
  return const_cast<NodeTable*>(this)->find(name);
}

}  // namespace vigil::core
