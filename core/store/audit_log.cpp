#include "store/audit_log.hpp"

#include <soci/soci.h>

namespace oa::store {

void AuditLog::append(const std::string& actor, const std::string& action,
                      const std::string& detail) {
  auto lease = store_.lease();
  *lease << "INSERT INTO audit_log (actor, action, detail) VALUES (:actor, :action, :detail)",
      soci::use(actor), soci::use(action), soci::use(detail);
}

std::vector<AuditEntry> AuditLog::recent(std::size_t limit) const {
  auto lease = store_.lease();
  AuditEntry entry;
  soci::statement statement =
      (lease->prepare << "SELECT id, at, COALESCE(actor, ''), action, COALESCE(detail, '') "
                         "FROM audit_log ORDER BY id DESC LIMIT "
                      << limit,
       soci::into(entry.id), soci::into(entry.at), soci::into(entry.actor),
       soci::into(entry.action), soci::into(entry.detail));
  statement.execute();
  std::vector<AuditEntry> entries;
  while (statement.fetch()) {
    entries.push_back(entry);
  }
  return entries;
}

}  // namespace oa::store
