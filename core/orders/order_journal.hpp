#pragma once
// The order journal: every order-changing request is written here before it
// is sent to a broker, and completed with its outcome after. It is what makes
// a repeated client_order_id return the first result without sending
// anything, and what lets the daemon find out, after a timeout or a crash,
// whether an order reached the broker — instead of resending it blindly.
//
// States: pending (written, being sent) -> done (outcome known), or
// pending -> unknown (no answer) -> done (reconciled against the broker's
// order book). A row in pending or unknown is unfinished.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/statement_cache.hpp"
#include "store/store.hpp"

namespace oa::orders {

struct JournalEntry {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string broker;
  std::string mode;       // "live" or "analyze"
  std::string operation;  // "placeorder", "modifyorder", ...
  std::string client_order_id;
  std::string request;    // the document sent, without the API key
  std::string state;      // "pending", "unknown", "done"
  int http_status = 0;
  std::string response;   // the body answered to the client
  std::string broker_orderid;
  std::string note;       // how an unknown outcome was settled
  std::string created_at;
};

class OrderJournal {
 public:
  explicit OrderJournal(store::Store& store) : store_(store) {}

  struct Started {
    bool repeat = false;  // the client_order_id was journaled before: `entry` is that first request
    JournalEntry entry;
  };
  // Writes a pending entry, or finds the earlier one with the same
  // client_order_id (empty = none) for this user. Safe against two requests
  // racing with one id: the database's unique key decides.
  Started start(std::int64_t user_id, const std::string& broker, const std::string& mode,
                const std::string& operation, const std::string& client_order_id, const std::string& request);
  // The same inside the caller's transaction on `sql` (the sandbox engine's
  // group commit), its statements prepared once per transaction.
  Started start(store::StatementCache& sql, std::int64_t user_id, const std::string& broker,
                const std::string& mode, const std::string& operation, const std::string& client_order_id,
                const std::string& request);

  // Writes a finished entry in one step, inside the caller's transaction on
  // `sql`: for a request without client_order_id that the sandbox executes in
  // that same transaction, so the entry and the execution commit together or
  // not at all, and no pending entry is needed first.
  void record(store::StatementCache& sql, std::int64_t user_id, const std::string& broker, const std::string& mode,
              const std::string& operation, const std::string& request, int http_status, const std::string& response,
              const std::string& broker_orderid);

  void complete(std::int64_t id, int http_status, const std::string& response, const std::string& broker_orderid,
                const std::string& note = {});
  void complete(store::StatementCache& sql, std::int64_t id, int http_status, const std::string& response,
                const std::string& broker_orderid, const std::string& note = {});
  void mark_unknown(std::int64_t id, const std::string& note);
  // Back to pending, its answer cleared: an interrupted request being resumed.
  void reopen(std::int64_t id);

  std::optional<JournalEntry> find(std::int64_t id) const;
  std::vector<JournalEntry> unfinished() const;
  // Entries of one mode ("live" or "analyze").
  std::int64_t count(const std::string& mode) const;
  // Broker order ids already attributed to some journal entry of the user:
  // reconciliation must not claim them again.
  std::vector<std::string> known_orderids(std::int64_t user_id, const std::string& broker) const;

 private:
  std::optional<JournalEntry> find_by_client_id(soci::session& sql, std::int64_t user_id,
                                                const std::string& client_order_id) const;
  std::optional<JournalEntry> find_by_client_id(std::int64_t user_id, const std::string& client_order_id) const;
  store::Store& store_;
};

}  // namespace oa::orders
