#pragma once

#include <cstdint>
#include <string>

#include "store/store.hpp"

namespace oa::traffic {

struct MovedLogs {
  std::int64_t traffic = 0;
  std::int64_t analyzer = 0;
};

// Throws std::runtime_error naming `display` unless `logs` has the two log
// tables as openalgod writes them. The logs schema creates its tables only
// where missing, so a LOGS_DATABASE_URL pointing at OpenAlgo's own logs.db
// (a traffic_logs of other columns) would otherwise fail every write.
void check_log_tables(store::Store& logs, const std::string& display);

// Moves the rows of traffic_logs and analyzer_logs from `main` (where they
// were kept before they had a database of their own, LOGS_DATABASE_URL) to
// `logs`, oldest first, so that an upgrade keeps its history. Each batch is
// committed to `logs` before it is deleted from `main`: a daemon stopped in
// between writes that batch twice on its next start, and never loses one.
// Rows get new ids in `logs`, in their old order. Throws what the store
// throws; what moved before stays moved.
MovedLogs move_request_logs(store::Store& main, store::Store& logs);

}  // namespace oa::traffic
