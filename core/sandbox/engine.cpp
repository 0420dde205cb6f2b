#include "sandbox/engine.hpp"

#include <stdexcept>

#include "sandbox/book_reader.hpp"
#include "sandbox/engine_core.hpp"
#include "sandbox/engine_guards.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/market_board.hpp"
#include "sandbox/marks.hpp"

namespace oa::sandbox {

std::optional<std::string> check_options(const EngineOptions& options) {
  if (!is_allowed_starting_capital(options.starting_capital)) {
    return "starting capital must be one of 100000, 500000, 1000000, 2500000, 5000000 or "
           "10000000 rupees";
  }
  if (auto refused = check_leverage(options.leverage)) return refused;
  if (auto refused = check_schedule(options.schedule)) return refused;
  if (options.quote_attempts < 1) return "quote_attempts must be at least 1";
  if (options.quote_timeout_ms <= 0 || options.book_quote_wait_ms <= 0 ||
      options.poll_interval_ms <= 0 || options.sweep_interval_ms <= 0) {
    return "engine intervals must be positive";
  }
  return std::nullopt;
}

namespace {

EngineOptions checked(EngineOptions options) {
  if (auto refused = check_options(options)) throw std::invalid_argument(*refused);
  return options;
}

// A view the reader answers on the calling thread: `done` is called before this returns.
template <typename View>
void answer_here(const Engine::Done& done, const char* doing, View&& view) {
  answering(done, doing, [&] { done(view()); });
}

}  // namespace

Engine::Engine(store::Store& store, MarketData& market, EngineOptions options,
               std::function<std::int64_t()> now_ms)
    : mailbox_(std::make_shared<Mailbox>()), board_(std::make_unique<MarketBoard>()), own_thread_(options.own_thread) {
  options = checked(std::move(options));
  reader_ = std::make_unique<BookReader>(store, *board_, options, now_ms);
  core_ = std::make_unique<Core>(store, market, *board_, std::move(options), std::move(now_ms), mailbox_);
  std::lock_guard lock(mailbox_->mutex);
  mailbox_->loop = &core_->loop();
}

Engine::~Engine() {
  {
    std::lock_guard lock(mailbox_->mutex);
    mailbox_->loop = nullptr;
  }
  core_->loop().stop();
}

void Engine::start() {
  if (started_) return;
  started_ = true;
  core_->load();
  mailbox_->post([core = core_.get()] { core->run_schedules(); });
  if (own_thread_) {
    core_->loop().start_thread(std::chrono::seconds(1),
                               [core = core_.get()] { core->run_schedules(); });
  }
}

void Engine::place_order(std::int64_t user_id, OrderRequest request, Done done, Record record) {
  mailbox_->post([core = core_.get(), user_id, request = std::move(request),
                  done = core_->durable(std::move(done), std::move(record))]() mutable { core->place(user_id, request, std::move(done)); });
}

void Engine::modify_order(std::int64_t user_id, ModifyRequest request, Done done, Record record) {
  mailbox_->post([core = core_.get(), user_id, request = std::move(request),
                  done = core_->durable(std::move(done), std::move(record))]() mutable {
    core->modify(user_id, request, std::move(done));
  });
}

void Engine::cancel_order(std::int64_t user_id, std::string orderid, Done done, Record record) {
  mailbox_->post([core = core_.get(), user_id, orderid = std::move(orderid),
                  done = core_->durable(std::move(done), std::move(record))]() mutable { core->cancel(user_id, orderid, std::move(done)); });
}

void Engine::cancel_all_orders(std::int64_t user_id, Done done) {
  mailbox_->post([core = core_.get(), user_id, done = core_->durable(std::move(done))]() mutable {
    core->cancel_all(user_id, std::move(done));
  });
}

void Engine::close_all_positions(std::int64_t user_id, Done done) {
  mailbox_->post([core = core_.get(), user_id, done = core_->durable(std::move(done))]() mutable {
    core->close_all(user_id, std::move(done));
  });
}

template <typename Compose>
void Engine::answer_marked(MarkNeeds needs, const char* doing, const Done& done, Compose compose) {
  if (auto marks = reader_->fresh_marks(needs)) return done(compose(*marks));
  mailbox_->post([core = core_.get(), needs = std::move(needs), doing, done, compose = std::move(compose)] {
    core->answer_marked(needs, doing, done, compose);
  });
}

void Engine::order_book(std::int64_t user_id, Done done) {
  answer_here(done, "getting orderbook", [&] { return reader_->order_book(user_id); });
}

void Engine::trade_book(std::int64_t user_id, Done done) {
  answer_here(done, "getting tradebook", [&] { return reader_->trade_book(user_id); });
}

void Engine::position_book(std::int64_t user_id, Done done) {
  answering(done, "getting positions", [&] {
    auto positions = reader_->position_book_rows(user_id);
    auto needs = position_book_needs(positions);
    answer_marked(std::move(needs), "getting positions", done, [positions = std::move(positions)](const Marks& marks) {
      return position_book_reply(positions, marks);
    });
  });
}

void Engine::holdings(std::int64_t user_id, Done done) {
  answering(done, "getting holdings", [&] {
    auto rows = reader_->holdings(user_id);
    auto needs = holdings_needs(rows);
    answer_marked(std::move(needs), "getting holdings", done,
                  [rows = std::move(rows)](const Marks& marks) { return holdings_reply(rows, marks); });
  });
}

void Engine::funds(std::int64_t user_id, Done done) {
  answering(done, "getting funds", [&] {
    auto ledger = reader_->ledger(user_id);
    auto needs = funds_needs(ledger.open_positions);
    answer_marked(std::move(needs), "getting funds", done, [ledger = std::move(ledger)](const Marks& marks) {
      return funds_reply(ledger.funds, ledger.open_positions, marks);
    });
  });
}

void Engine::order_status(std::int64_t user_id, std::string orderid, Done done) {
  answer_here(done, "getting order status", [&] { return reader_->order_status(user_id, orderid); });
}

void Engine::open_position(std::int64_t user_id, std::string symbol, std::string exchange,
                           std::string product, Done done) {
  answer_here(done, "getting open position",
              [&] { return reader_->open_position(user_id, symbol, exchange, product); });
}

void Engine::place_gtt(std::int64_t user_id, GttRequest request, Done done, Record record) {
  mailbox_->post([core = core_.get(), user_id, request = std::move(request), done = core_->durable(std::move(done), std::move(record))]() mutable {
    core->place_gtt(user_id, request, std::move(done));
  });
}

void Engine::modify_gtt(std::int64_t user_id, GttRequest request, Done done, Record record) {
  mailbox_->post([core = core_.get(), user_id, request = std::move(request), done = core_->durable(std::move(done), std::move(record))]() mutable {
    core->modify_gtt(user_id, request, std::move(done));
  });
}

void Engine::cancel_gtt(std::int64_t user_id, std::string trigger_id, Done done, Record record) {
  mailbox_->post([core = core_.get(), user_id, trigger_id = std::move(trigger_id), done = core_->durable(std::move(done), std::move(record))]() mutable {
    core->cancel_gtt(user_id, trigger_id, std::move(done));
  });
}

void Engine::gtt_book(std::int64_t user_id, Done done) {
  mailbox_->post([core = core_.get(), user_id, done = core_->durable(std::move(done))]() mutable {
    core->gtt_book(user_id, std::move(done));
  });
}

void Engine::reset_user(std::int64_t user_id, Done done) {
  mailbox_->post([core = core_.get(), user_id, done = core_->durable(std::move(done))]() mutable {
    core->reset_user(user_id, std::move(done));
  });
}

void Engine::on_tick(const std::string& symbol, const std::string& exchange, const Quote& quote) {
  mailbox_->post_quote(SymbolKey{symbol, exchange}, quote);
}

void Engine::run_schedules() {
  mailbox_->post([core = core_.get()] { core->run_schedules(); });
}

void Engine::write(std::function<void(store::StatementCache&)> work, std::function<void(bool committed)> then) {
  mailbox_->post([core = core_.get(), work = std::move(work), then = std::move(then)]() mutable {
    core->write(work, std::move(then));
  });
}

void Engine::flush(std::function<void()> done) {
  // Prices queued before this call are delivered after the tasks of the same
  // round, so `done` goes round once more to come after them too.
  mailbox_->post([mailbox = mailbox_, done = std::move(done)]() mutable {
    mailbox->post(std::move(done));
  });
}

std::size_t Engine::run_queued() { return core_->loop().run_ready(); }

}  // namespace oa::sandbox
