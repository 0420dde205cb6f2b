#include "streaming.hpp"

#include "market_data.hpp"

namespace oa::simulator {
namespace {

std::string key_of(const StreamItem& item) {
  return item.listing->row.exchange + ":" + item.listing->row.token + ":" + std::to_string(item.mode);
}

bool matches(const StreamItem& subscribed, const oa::sdk::Subscription& item) {
  const auto& row = subscribed.listing->row;
  if (subscribed.mode != item.mode || row.exchange != item.exchange) return false;
  return item.symbol.empty() ? row.token == item.token : row.symbol == item.symbol;
}

oa_depth_level to_c(const Level& level) { return {level.price, level.quantity, level.orders}; }

// The tick of `item` at the snapshot, filled as far as its mode carries.
oa_tick make_tick(const StreamItem& item, const Snapshot& snapshot) {
  const auto& row = item.listing->row;
  oa_tick tick{};
  tick.struct_size = sizeof(oa_tick);
  tick.mode = item.mode;
  tick.symbol = oa::sdk::view(row.symbol);
  tick.exchange = oa::sdk::view(row.exchange);
  tick.token = oa::sdk::view(row.token);
  tick.exchange_time_ms = snapshot.exchange_time_ms;
  tick.ltp = snapshot.ltp;
  if (item.mode == OA_MODE_LTP) return tick;

  tick.ltq = snapshot.ltq;
  tick.open = snapshot.open;
  tick.high = snapshot.high;
  tick.low = snapshot.low;
  tick.close = snapshot.prev_close;
  tick.average_price = snapshot.average_price;
  tick.volume = snapshot.volume;
  tick.oi = snapshot.oi;
  tick.total_buy_quantity = snapshot.total_buy_quantity;
  tick.total_sell_quantity = snapshot.total_sell_quantity;
  std::size_t levels = item.mode == OA_MODE_DEPTH ? OA_DEPTH_LEVELS : 1;
  for (std::size_t i = 0; i < levels; ++i) {
    tick.bids[i] = to_c(snapshot.bids[i]);
    tick.asks[i] = to_c(snapshot.asks[i]);
  }
  return tick;
}

}  // namespace

Streaming::Streaming(oa::sdk::Host& host, const PriceModel& model, std::uint32_t period_ms)
    : host_(host), model_(model), period_ms_(period_ms) {}

Streaming::~Streaming() {
  std::lock_guard changes(changes_mutex_);
  if (timer_id_) host_.stop_timer(timer_id_);
}

void Streaming::subscribe(const std::vector<StreamItem>& items) {
  if (items.empty()) return;
  std::lock_guard changes(changes_mutex_);
  {
    std::lock_guard lock(items_mutex_);
    auto updated = std::make_shared<Items>(*items_);
    for (const auto& item : items) updated->insert_or_assign(key_of(item), item);
    items_ = std::move(updated);
  }
  if (!timer_id_) timer_id_ = host_.start_timer(period_ms_, [this] { emit_ticks(); });
}

void Streaming::unsubscribe(const std::vector<oa::sdk::Subscription>& items) {
  std::lock_guard changes(changes_mutex_);
  bool empty = false;
  {
    std::lock_guard lock(items_mutex_);
    auto updated = std::make_shared<Items>(*items_);
    for (const auto& item : items)
      std::erase_if(*updated, [&](const auto& entry) { return matches(entry.second, item); });
    empty = updated->empty();
    items_ = std::move(updated);
  }
  if (empty && timer_id_) {
    host_.stop_timer(timer_id_);
    timer_id_ = 0;
  }
}

void Streaming::emit_ticks() const {
  std::shared_ptr<const Items> items;
  {
    std::lock_guard lock(items_mutex_);
    items = items_;
  }
  const std::int64_t now_ms = host_.now_ms();
  for (const auto& [key, item] : *items) {
    Snapshot snapshot = take_snapshot(model_, item.master->series_of(*item.listing), *item.listing, now_ms);
    host_.emit_tick(make_tick(item, snapshot));
  }
}

}  // namespace oa::simulator
