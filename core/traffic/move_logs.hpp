#pragma once

#include <cstdint>

#include "store/store.hpp"

namespace oa::traffic {

struct MovedLogs {
  std::int64_t traffic = 0;
  std::int64_t analyzer = 0;
};

// Moves the rows of traffic_logs and analyzer_logs from `main` (where they
// were kept before they had a database of their own, LOGS_DATABASE_URL) to
// `logs`, oldest first, so that an upgrade keeps its history. Each batch is
// committed to `logs` before it is deleted from `main`: a daemon stopped in
// between writes that batch twice on its next start, and never loses one.
// Rows get new ids in `logs`, in their old order. Throws what the store
// throws; what moved before stays moved.
MovedLogs move_request_logs(store::Store& main, store::Store& logs);

}  // namespace oa::traffic
