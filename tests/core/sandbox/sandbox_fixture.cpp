#include "sandbox_fixture.hpp"

#include <boost/url/url.hpp>
#include <doctest/doctest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "sandbox/sandbox_store.hpp"
#include "store/database_url.hpp"
#include "store/users.hpp"

namespace oa::sandbox::test {

std::int64_t ist(int year, int month, int day, int hour, int minute) {
  return ist_instant(year, month, day, at(hour, minute));
}

// ---------------------------------------------------------------------------

namespace {

std::string postgres_url_from_environment() {
  const char* file = std::getenv("OPENALGOD_SANDBOX_TEST_PG");
  if (file == nullptr || *file == '\0') return "";
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) throw std::runtime_error(std::string("no PostgreSQL URL in ") + file);
  return url;
}

void run_on_cluster(const std::string& admin_url, const std::string& statement) {
  soci::session admin(soci::postgresql, store::parse_database_url(admin_url).connect_string);
  admin << statement;
}

}  // namespace

TempStore::TempStore(std::size_t pool_size) : pool_size_(pool_size) {
  postgres_admin_url_ = postgres_url_from_environment();
  if (!postgres_admin_url_.empty()) {
    static std::atomic<int> counter{0};
    postgres_database_ = "openalgod_sandbox_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    run_on_cluster(postgres_admin_url_, "CREATE DATABASE " + postgres_database_);
    boost::urls::url url(postgres_admin_url_);
    url.set_path("/" + postgres_database_);
    url_ = std::string(url.buffer());
  } else {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "openalgod-sandbox-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    directory_ = pattern;
    url_ = "sqlite:///" + (directory_ / "test.db").string();
  }
  reopen();
}

TempStore::~TempStore() {
  store_.reset();
  try {
    if (is_postgres()) run_on_cluster(postgres_admin_url_, "DROP DATABASE IF EXISTS " + postgres_database_ + " WITH (FORCE)");
    if (!directory_.empty()) std::filesystem::remove_all(directory_);
  } catch (...) {
    // A leftover in a temporary directory or a throwaway cluster is harmless.
  }
}

void TempStore::reopen() {
  store_.reset();
  store_ = store::Store::open(store::parse_database_url(url_), pool_size_);
}

std::int64_t TempStore::add_user(const std::string& name) {
  return store::Users(*store_).add(name, "not-a-hash", false);
}

// ---------------------------------------------------------------------------

void FakeMarket::add_instrument(Instrument instrument) {
  std::lock_guard lock(mutex_);
  instruments_[{instrument.symbol, instrument.exchange}] = std::move(instrument);
}

void FakeMarket::set_quote(const std::string& symbol, const std::string& exchange, Quote quote) {
  std::lock_guard lock(mutex_);
  quotes_[{symbol, exchange}] = quote;
}

void FakeMarket::clear_quote(const std::string& symbol, const std::string& exchange) {
  std::lock_guard lock(mutex_);
  quotes_.erase({symbol, exchange});
}

void FakeMarket::set_mode(Mode mode) {
  std::lock_guard lock(mutex_);
  mode_ = mode;
}

std::size_t FakeMarket::waiting_fetches() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

void FakeMarket::answer_next(std::optional<Quote> quote) {
  Fetch fetch;
  {
    std::lock_guard lock(mutex_);
    REQUIRE_FALSE(waiting_.empty());
    fetch = std::move(waiting_.front());
    waiting_.erase(waiting_.begin());
  }
  fetch.done(quote);
}

void FakeMarket::answer_all_with_current() {
  std::vector<Fetch> fetches;
  {
    std::lock_guard lock(mutex_);
    fetches.swap(waiting_);
  }
  for (Fetch& fetch : fetches) {
    std::optional<Quote> quote;
    {
      std::lock_guard lock(mutex_);
      const auto found = quotes_.find({fetch.symbol, fetch.exchange});
      if (found != quotes_.end()) quote = found->second;
    }
    fetch.done(quote);
  }
}

std::size_t FakeMarket::fetch_count() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

void FakeMarket::forget_watches() {
  std::lock_guard lock(mutex_);
  watched_.clear();
}

bool FakeMarket::watching(const std::string& symbol, const std::string& exchange) const {
  std::lock_guard lock(mutex_);
  return watched_.contains({symbol, exchange});
}

std::optional<Instrument> FakeMarket::instrument(const std::string& symbol,
                                                 const std::string& exchange) {
  std::lock_guard lock(mutex_);
  const auto found = instruments_.find({symbol, exchange});
  if (found == instruments_.end()) return std::nullopt;
  return found->second;
}

void FakeMarket::fetch_quote(const std::string& symbol, const std::string& exchange,
                             std::function<void(std::optional<Quote>)> done) {
  std::optional<Quote> quote;
  {
    std::lock_guard lock(mutex_);
    ++fetches_;
    if (mode_ == Mode::Manual) {
      waiting_.push_back({symbol, exchange, std::move(done)});
      return;
    }
    const auto found = quotes_.find({symbol, exchange});
    if (found != quotes_.end()) quote = found->second;
  }
  done(quote);
}

void FakeMarket::watch(const std::string& symbol, const std::string& exchange) {
  std::lock_guard lock(mutex_);
  CHECK_MESSAGE(watched_.insert({symbol, exchange}).second, "watched twice: " << symbol);
}

void FakeMarket::release(const std::string& symbol, const std::string& exchange) {
  std::lock_guard lock(mutex_);
  CHECK_MESSAGE(watched_.erase({symbol, exchange}) == 1, "released unwatched: " << symbol);
}

void add_standard_instruments(FakeMarket& market) {
  for (const char* symbol : {"ZEEL", "RELIANCE", "SBIN"}) {
    market.add_instrument({symbol, "NSE", "EQ", "", 1, 0.05, 1});
  }
  market.add_instrument({"NIFTY28AUG25FUT", "NFO", "FUT", "28-AUG-25", 75, 0.1, 1});
  market.add_instrument({"NIFTY28AUG2524000CE", "NFO", "CE", "28-AUG-25", 75, 0.05, 1});
  market.add_instrument({"BTCUSDFUT", "CRYPTO", "PERPFUT", "", 0.001, 0.5, 1});
}

// ---------------------------------------------------------------------------

Harness::Harness(EngineOptions options, std::int64_t start)
    : options_(std::move(options)), clock_(start) {
  options_.own_thread = false;
  options_.quote_retry_delays_ms = {0, 0};
  user_ = database_.add_user("trader");
  add_standard_instruments(market_);
  engine_ = std::make_unique<Engine>(database_.store(), market_, options_, clock_.function());
  engine_->start();
  engine_->run_queued();
}

Harness::~Harness() { engine_.reset(); }

void Harness::restart(std::optional<EngineOptions> options) {
  if (options) {
    options_ = std::move(*options);
    options_.own_thread = false;
    options_.quote_retry_delays_ms = {0, 0};
  }
  engine_.reset();
  market_.forget_watches();
  database_.reopen();
  engine_ = std::make_unique<Engine>(database_.store(), market_, options_, clock_.function());
  engine_->start();
  engine_->run_queued();
}

Reply Harness::request(const std::function<void(Engine&, Engine::Done)>& call) {
  int replies = 0;
  Reply reply;
  call(*engine_, [&](Reply answer) {
    ++replies;
    reply = std::move(answer);
  });
  engine_->run_queued();
  REQUIRE_MESSAGE(replies == 1, "replies: " << replies);
  return reply;
}

Reply Harness::place(const OrderRequest& order) {
  return request([&](Engine& engine, Engine::Done done) { engine.place_order(user_, order, done); });
}

Reply Harness::place(const std::string& symbol, const std::string& exchange,
                     const std::string& action, double quantity, const std::string& pricetype,
                     const std::string& product, double price, double trigger_price) {
  OrderRequest order;
  order.strategy = "test";
  order.symbol = symbol;
  order.exchange = exchange;
  order.action = action;
  order.quantity = quantity;
  order.pricetype = pricetype;
  order.product = product;
  order.price = price;
  order.trigger_price = trigger_price;
  return place(order);
}

Reply Harness::modify(const ModifyRequest& change) {
  return request([&](Engine& engine, Engine::Done done) { engine.modify_order(user_, change, done); });
}

Reply Harness::cancel(const std::string& orderid) {
  return request([&](Engine& engine, Engine::Done done) { engine.cancel_order(user_, orderid, done); });
}

Reply Harness::place_gtt(const GttRequest& request) {
  return this->request([&](Engine& engine, Engine::Done done) { engine.place_gtt(user_, request, done); });
}

Reply Harness::modify_gtt(const GttRequest& request) {
  return this->request([&](Engine& engine, Engine::Done done) { engine.modify_gtt(user_, request, done); });
}

Reply Harness::cancel_gtt(const std::string& trigger_id) {
  return request([&](Engine& engine, Engine::Done done) { engine.cancel_gtt(user_, trigger_id, done); });
}

Reply Harness::gtt_book() {
  return request([&](Engine& engine, Engine::Done done) { engine.gtt_book(user_, done); });
}

Reply Harness::reset() {
  return request([&](Engine& engine, Engine::Done done) { engine.reset_user(user_, done); });
}

Reply Harness::cancel_all() {
  return request([&](Engine& engine, Engine::Done done) { engine.cancel_all_orders(user_, done); });
}

Reply Harness::close_all() {
  return request([&](Engine& engine, Engine::Done done) { engine.close_all_positions(user_, done); });
}

Reply Harness::order_book() {
  return request([&](Engine& engine, Engine::Done done) { engine.order_book(user_, done); });
}

Reply Harness::trade_book() {
  return request([&](Engine& engine, Engine::Done done) { engine.trade_book(user_, done); });
}

Reply Harness::position_book() {
  return request([&](Engine& engine, Engine::Done done) { engine.position_book(user_, done); });
}

Reply Harness::holdings() {
  return request([&](Engine& engine, Engine::Done done) { engine.holdings(user_, done); });
}

Reply Harness::funds() {
  return request([&](Engine& engine, Engine::Done done) { engine.funds(user_, done); });
}

Reply Harness::order_status(const std::string& orderid) {
  return request([&](Engine& engine, Engine::Done done) { engine.order_status(user_, orderid, done); });
}

double Harness::open_quantity(const std::string& symbol, const std::string& exchange,
                              const std::string& product) {
  const Reply reply = request([&](Engine& engine, Engine::Done done) {
    engine.open_position(user_, symbol, exchange, product, done);
  });
  return reply.body.at("quantity").to_number<double>();
}

void Harness::tick(const std::string& symbol, const std::string& exchange, double ltp, double bid,
                   double ask) {
  engine_->on_tick(symbol, exchange, Quote{ltp, bid, ask, clock_.now()});
  engine_->run_queued();
}

void Harness::run_schedules() {
  engine_->run_schedules();
  engine_->run_queued();
}

Funds Harness::stored_funds() {
  std::optional<Funds> funds;
  SandboxStore(database_.store()).read([&](SandboxTables& tables) { funds = tables.find_funds(user_); });
  REQUIRE(funds.has_value());
  return *funds;
}

std::optional<Position> Harness::stored_position(const std::string& symbol,
                                                 const std::string& exchange,
                                                 const std::string& product) {
  std::optional<Position> position;
  SandboxStore(database_.store()).read([&](SandboxTables& tables) {
    position = tables.find_position({user_, symbol, exchange, *parse_product(product)});
  });
  return position;
}

std::optional<Holding> Harness::stored_holding(const std::string& symbol,
                                               const std::string& exchange) {
  std::optional<Holding> holding;
  SandboxStore(database_.store()).read([&](SandboxTables& tables) {
    holding = tables.find_holding(user_, symbol, exchange);
  });
  return holding;
}

std::optional<Order> Harness::stored_order(const std::string& orderid) {
  std::optional<Order> order;
  SandboxStore(database_.store()).read([&](SandboxTables& tables) { order = tables.find_order(orderid); });
  return order;
}

std::int64_t Harness::trade_count() {
  auto lease = database_.store().lease();
  std::int64_t count = 0;
  *lease << "SELECT COUNT(*) FROM sandbox_trades WHERE user_id = :user", soci::use(user_),
      soci::into(count);
  return count;
}

Paise Harness::margin_held_by_orders_and_positions() {
  auto lease = database_.store().lease();
  std::int64_t orders = 0, positions = 0;
  *lease << "SELECT COALESCE(SUM(margin_blocked_paise), 0) FROM sandbox_orders WHERE user_id = "
            ":user AND status IN ('open', 'trigger pending')",
      soci::use(user_), soci::into(orders);
  *lease << "SELECT COALESCE(SUM(margin_blocked_paise), 0) FROM sandbox_positions WHERE user_id = "
            ":user",
      soci::use(user_), soci::into(positions);
  std::int64_t gtts = 0;
  *lease << "SELECT COALESCE(SUM(margin_blocked_paise), 0) FROM sandbox_gtt WHERE user_id = :user AND "
            "status = 'active'",
      soci::use(user_), soci::into(gtts);
  return orders + positions + gtts;
}

std::optional<Gtt> Harness::stored_gtt(const std::string& gtt_id) {
  std::optional<Gtt> gtt;
  SandboxStore(database_.store()).read([&](SandboxTables& tables) { gtt = tables.find_gtt(gtt_id); });
  return gtt;
}

Paise Harness::invested_in_holdings() {
  auto lease = database_.store().lease();
  std::int64_t invested = 0;
  *lease << "SELECT COALESCE(SUM(invested_paise), 0) FROM sandbox_holdings WHERE user_id = :user",
      soci::use(user_), soci::into(invested);
  return invested;
}

void place_without_waiting(Harness& h, int& replies, Reply& reply) {
  h.engine().place_order(h.user(), OrderRequest{"s", "SBIN", "NSE", "BUY", "MARKET", "MIS", 10, 0, 0, 0},
                         [&](Reply r) { ++replies, reply = std::move(r); });
  h.settle();
  REQUIRE(h.market().waiting_fetches() == 1);
  REQUIRE(replies == 0);
}

void hold_shares(Harness& h, const std::string& symbol, double quantity, double price) {
  h.market().set_quote(symbol, "NSE", {price, 0, 0, 0});
  REQUIRE(h.place(symbol, "NSE", "BUY", quantity, "MARKET", "CNC").status == 200);
  h.clock().advance(kDayMs);
  h.run_schedules();
  REQUIRE(h.stored_holding(symbol, "NSE").has_value());
}

std::string message_of(const Reply& reply) {
  const auto* message = reply.body.if_contains("message");
  return message && message->is_string() ? std::string(message->as_string()) : "";
}

std::string orderid_of(const Reply& reply) {
  const auto* orderid = reply.body.if_contains("orderid");
  return orderid && orderid->is_string() ? std::string(orderid->as_string()) : "";
}

}  // namespace oa::sandbox::test

namespace oa::sandbox::test {

std::string trigger_id_of(const Reply& reply) {
  const auto* id = reply.body.if_contains("trigger_id");
  return id && id->is_string() ? std::string(id->as_string()) : "";
}

GttRequest single_gtt(const std::string& symbol, const std::string& action, double quantity, double price,
                      double trigger_sl, double trigger_tg, const std::string& product) {
  GttRequest request;
  request.strategy = "gtt-test";
  request.trigger_type = "SINGLE";
  request.symbol = symbol;
  request.exchange = "NSE";
  request.action = action;
  request.product = product;
  request.quantity = quantity;
  request.price = price;
  request.triggerprice_sl = trigger_sl;
  request.triggerprice_tg = trigger_tg;
  return request;
}

GttRequest oco_gtt(const std::string& symbol, const std::string& action, double quantity, double trigger_sl,
                   double stoploss, double trigger_tg, double target, const std::string& product) {
  GttRequest request = single_gtt(symbol, action, quantity, 0, trigger_sl, trigger_tg, product);
  request.trigger_type = "OCO";
  request.stoploss = stoploss;
  request.target = target;
  return request;
}

}  // namespace oa::sandbox::test
