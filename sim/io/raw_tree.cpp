#include "raw_tree.h"

namespace corridor {

const RawNode::Entry* RawNode::find_entry(std::string_view key) const {
  for (const Entry& e : map) {
    if (e.key == key) return &e;
  }
  return nullptr;
}
const RawNode* RawNode::find(std::string_view key) const {
  const Entry* e = find_entry(key);
  return e ? &e->value : nullptr;
}
RawNode* RawNode::find(std::string_view key) {
  for (Entry& e : map) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

}  // namespace corridor
