#pragma once
// Sends order-changing requests to a broker plugin through the order journal:
// written before sending, completed after; a repeated client_order_id gets
// the first answer and sends nothing; a broker that does not answer is never
// sent the order again — its order book is checked instead.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "orders/order_journal.hpp"
#include "plugins/plugin_host.hpp"

namespace oa::orders {

struct OrderReply {
  int status = 200;
  boost::json::object body;
};

struct Submission {
  std::int64_t user_id = 0;
  std::string broker;
  plugins::Session session;
  std::string operation;  // the endpoint: "placeorder", "modifyorder", "cancelorder", "basketorder", "placegttorder", ...
  plugins::Operation plugin_operation = plugins::Operation::PlaceOrder;
  boost::json::object document;  // what the plugin receives
  std::string client_order_id;   // empty: no idempotency
};

class OrderService {
 public:
  OrderService(OrderJournal& journal, plugins::PluginHost& plugins) : journal_(journal), plugins_(plugins) {}

  // `done` is called once, possibly from another thread.
  void submit(Submission submission, std::function<void(OrderReply)> done);

  // Analyzer mode: the same journal and idempotency, for a request that the
  // sandbox engine executes. The journal is written in the engine's own store
  // transactions (its group commit) instead of one transaction per write, and
  // the entry's outcome commits together with what the request changed,
  // before the reply. A request with a client_order_id first gets a pending
  // entry, committed before the engine executes it: that entry is what a
  // repeat arriving meanwhile finds. One without it cannot be repeated, so
  // its entry is written once, finished, in the transaction that executes it
  // (the sandbox "sends" nothing outside that transaction, so the entry still
  // exists whenever the execution does), which saves the engine a write and
  // a commit per order.
  struct Sandbox {
    using Work = std::function<void(store::StatementCache&)>;
    // Runs `work` in the engine's store transaction, then `then(committed)`
    // once that transaction ended (false also when `work` threw).
    std::function<void(Work work, std::function<void(bool committed)> then)> transact;
    // What must commit with the reply: called in the engine's transaction
    // that decided it; if it throws, that transaction's changes are undone.
    using Record = std::function<void(store::StatementCache&, int status, const boost::json::object& body)>;
    // Executes the request; `finish` hears the reply once it is committed.
    std::function<void(Record record, std::function<void(OrderReply)> finish)> execute;
  };
  void submit_to_sandbox(const Submission& submission, Sandbox sandbox, std::function<void(OrderReply)> done);

  // A request that sends several orders (smart, basket, split, options,
  // cancel-all, close-all) is one journal entry holding its final answer,
  // written before anything is sent; each order it sends is an entry of its
  // own, its client_order_id derived from the request's (order_plans.hpp).
  // A repeated client_order_id gets the first request's answer (or 409 while
  // it is under way) and sends nothing — except for a request a restart
  // interrupted: its repeat resumes it, and the orders it had already sent
  // answer from the journal (their derived ids repeat) instead of going out.
  struct CompositeStart {
    std::optional<OrderReply> repeat;  // set: answer this, send nothing
    std::int64_t entry_id = 0;
  };
  CompositeStart start_composite(const Submission& submission, const std::string& mode);
  void finish_composite(std::int64_t entry_id, const OrderReply& reply);

  // The endpoints whose journal entries are composite requests. Their single
  // broker call forms (a plugin's own smart order, cancel-all, close-all) are
  // journaled as "<endpoint>/native".
  static bool is_composite(std::string_view operation);

  // Settles every unfinished journal entry against its broker's order book.
  // Blocking. Call at start, before serving: then every pending entry was
  // left by a previous run that stopped before the broker answered.
  void reconcile_unfinished(const std::function<plugins::Session(std::int64_t user_id)>& session_for);

  // Order requests served in analyzer mode (OpenAlgo's analyzer total_logs).

 private:
  void on_outcome(const JournalEntry& entry, const Submission& submission, const plugins::Outcome& outcome,
                  const std::function<void(OrderReply)>& done);
  void reconcile(const JournalEntry& entry, const plugins::Session& session, const std::function<void(OrderReply)>& done);
  OrderReply settle_from_order_book(const JournalEntry& entry, const plugins::Outcome& book);

  OrderJournal& journal_;
  plugins::PluginHost& plugins_;
};

}  // namespace oa::orders
