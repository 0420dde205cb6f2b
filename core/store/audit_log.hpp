#pragma once

#include "store/store.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace oa::store {

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;  // UTC ISO-8601
  std::string actor;
  std::string action;
  std::string detail;
};

// Who did what, kept for the operator: logins, key changes, revocations.
class AuditLog {
 public:
  explicit AuditLog(Store& store) : store_(store) {}

  void append(const std::string& actor, const std::string& action, const std::string& detail);

  // The last `limit` entries, newest first.
  std::vector<AuditEntry> recent(std::size_t limit) const;

 private:
  Store& store_;
};

}  // namespace oa::store
