#pragma once
// The Action Center's queue (rest_api.md A.10): order requests of semi-auto
// users, held until an operator approves or rejects them. Every status change
// is one conditional UPDATE from `pending`, so of two callers racing for one
// order (a double click, two terminals, an approval against a rejection)
// exactly one wins: an order is approved, and so executed, at most once.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace oa::store {

struct PendingOrder {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string username;
  std::string api_type;         // "placeorder", "smartorder", "basketorder", ...
  std::string order_data;       // the validated request as JSON, without the API key
  std::string client_order_id;  // empty: none
  std::string status;           // "pending", "approved" or "rejected"
  std::string created_at;       // UTC ISO-8601
  std::string decided_at;       // empty while pending
  std::string decided_by;
  std::string rejected_reason;
  std::optional<int> result_status;  // the HTTP status the approved order was answered with
  std::string result;                // and its body; empty until it ran
};

class PendingOrders {
 public:
  explicit PendingOrders(Store& store) : store_(store) {}

  struct Queued {
    std::int64_t id = 0;
    bool repeat = false;  // the user queued this client_order_id before: `id` is that order
  };
  // Stores a request for approval. A non-empty client_order_id the user
  // queued before finds that order instead (the database's unique key
  // decides between two racing requests).
  Queued add(std::int64_t user_id, const std::string& api_type, const std::string& order_data,
             const std::string& client_order_id);

  std::optional<PendingOrder> find(std::int64_t id) const;
  // Newest first; `status` empty: every status.
  std::vector<PendingOrder> list(const std::string& status, std::size_t limit) const;

  // pending -> approved; false when the order is not (or no longer) pending.
  [[nodiscard]] bool approve(std::int64_t id, const std::string& approver);
  // pending -> rejected, with the reason; false when not pending.
  [[nodiscard]] bool reject(std::int64_t id, const std::string& rejecter, const std::string& reason);
  // What the approved order was answered with once it ran.
  void record_result(std::int64_t id, int http_status, const std::string& body);

 private:
  std::optional<std::int64_t> find_by_client_id(std::int64_t user_id, const std::string& client_order_id) const;
  Store& store_;
};

}  // namespace oa::store
