#include "market_data.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "openalgo_plugin.hpp"

namespace oa::simulator {

const char* const kHistoryIntervals[] = {"1s",  "5s",  "10s", "15s", "30s", "45s", "1m", "2m", "3m", "5m", "10m",
                                         "15m", "20m", "30m", "1h",  "2h",  "3h",  "4h", "D",  "W",  "M",  nullptr};

namespace {

namespace json = boost::json;

enum class Grouping { kIntraday, kDay, kWeek, kMonth };

struct Interval {
  Grouping grouping = Grouping::kIntraday;
  std::int32_t seconds = 0;  // intraday only
};

Interval parse_interval(std::string_view text) {
  auto listed = std::find_if(std::begin(kHistoryIntervals), std::end(kHistoryIntervals) - 1,
                             [&](const char* name) { return text == name; });
  if (listed == std::end(kHistoryIntervals) - 1)
    throw oa::sdk::Error(OA_ERR_INVALID_ARGUMENT, "Unsupported interval: " + std::string(text));
  if (text == "D") return {Grouping::kDay, 0};
  if (text == "W") return {Grouping::kWeek, 0};
  if (text == "M") return {Grouping::kMonth, 0};
  std::int32_t count = std::stoi(std::string(text.substr(0, text.size() - 1)));
  std::int32_t unit = text.back() == 's' ? 1 : text.back() == 'm' ? 60 : 3600;
  return {Grouping::kIntraday, count * unit};
}

json::object candle(std::int64_t timestamp, const Bar& bar) {
  return {{"timestamp", timestamp}, {"open", bar.open},     {"high", bar.high}, {"low", bar.low},
          {"close", bar.close},     {"volume", bar.volume}, {"oi", bar.oi}};
}

json::array levels(const std::array<Level, 5>& side) {
  json::array out;
  for (const auto& level : side) out.push_back(json::object{{"price", level.price}, {"quantity", level.quantity}});
  return out;
}

// Adds `bar` (a later period) into `total`.
void merge(Bar& total, const Bar& bar) {
  total.high = std::max(total.high, bar.high);
  total.low = std::min(total.low, bar.low);
  total.close = bar.close;
  total.volume += bar.volume;
  total.oi = bar.oi;
}

// The week (from Monday) or month a trading day belongs to.
std::int64_t period_of(Grouping grouping, Day day) {
  if (grouping == Grouping::kWeek) return week_start(day);
  CivilDate date = civil_from_day(day);
  return date.year * 12 + static_cast<std::int64_t>(date.month);
}

}  // namespace

Snapshot take_snapshot(const PriceModel& model, const Series& series, const Listing& listing, std::int64_t now_ms) {
  const Pricing& pricing = listing.pricing;
  SessionPoint point = session_point(series.session, now_ms);
  Bar day = model.bar(series, pricing, point.day, 0, point.second);

  Snapshot snapshot;
  snapshot.exchange_time_ms = session_epoch_seconds(point.day, series.session, point.second) * 1000;
  snapshot.ltp = day.close;
  snapshot.open = day.open;
  snapshot.high = day.high;
  snapshot.low = day.low;
  snapshot.volume = day.volume;
  snapshot.oi = day.oi;
  snapshot.prev_close = model.previous_close(series, pricing, point.day);
  snapshot.average_price = round_to_tick((day.open + day.high + day.low + day.close) / 4, pricing.tick);
  if (listing.row.instrumenttype == "INDEX") return snapshot;

  // The book around the last trade: best bid and ask one or two ticks away.
  // Sizes come in lots, or for equities in blocks worth about 50 000 rupees.
  const double tick = pricing.tick;
  const std::int64_t unit =
      pricing.lot > 1 ? pricing.lot : std::max<std::int64_t>(1, std::llround(50'000 / snapshot.ltp));
  std::uint64_t noise = model.noise(hash_text(listing.row.token), snapshot.exchange_time_ms / 1000);
  double bid = round_to_tick(snapshot.ltp - tick * static_cast<double>(1 + (noise & 1)), tick);
  double ask = round_to_tick(snapshot.ltp + tick * static_cast<double>(1 + ((noise >> 1) & 1)), tick);
  for (std::size_t i = 0; i < snapshot.bids.size(); ++i) {
    std::uint64_t level_noise = model.noise(noise, static_cast<std::int64_t>(i));
    double bid_price = round_to_tick(bid - tick * static_cast<double>(i), tick);
    if (bid_price > 0)
      snapshot.bids[i] = {bid_price, unit * static_cast<std::int64_t>(1 + level_noise % 50),
                          static_cast<std::int64_t>(1 + (level_noise >> 8) % 15)};
    snapshot.asks[i] = {round_to_tick(ask + tick * static_cast<double>(i), tick),
                        unit * static_cast<std::int64_t>(1 + (level_noise >> 16) % 50),
                        static_cast<std::int64_t>(1 + (level_noise >> 24) % 15)};
    snapshot.total_buy_quantity += snapshot.bids[i].quantity;
    snapshot.total_sell_quantity += snapshot.asks[i].quantity;
  }
  // The visible five levels are a slice of the whole book.
  snapshot.total_buy_quantity *= static_cast<std::int64_t>(20 + (noise >> 32) % 80);
  snapshot.total_sell_quantity *= static_cast<std::int64_t>(20 + (noise >> 40) % 80);
  snapshot.ltq = unit * static_cast<std::int64_t>(1 + (noise >> 48) % 10);
  return snapshot;
}

json::object quote_document(const Snapshot& snapshot) {
  return {{"ask", snapshot.asks[0].price},
          {"bid", snapshot.bids[0].price},
          {"high", snapshot.high},
          {"low", snapshot.low},
          {"ltp", snapshot.ltp},
          {"open", snapshot.open},
          {"prev_close", snapshot.prev_close},
          {"volume", snapshot.volume},
          {"oi", snapshot.oi}};
}

json::object depth_document(const Snapshot& snapshot) {
  return {{"bids", levels(snapshot.bids)},
          {"asks", levels(snapshot.asks)},
          {"high", snapshot.high},
          {"low", snapshot.low},
          {"ltp", snapshot.ltp},
          {"ltq", snapshot.ltq},
          {"oi", snapshot.oi},
          {"open", snapshot.open},
          {"prev_close", snapshot.prev_close},
          {"totalbuyqty", snapshot.total_buy_quantity},
          {"totalsellqty", snapshot.total_sell_quantity},
          {"volume", snapshot.volume}};
}

json::object history_document(const PriceModel& model, const Series& series, const Listing& listing,
                              std::string_view interval_text, Day start, Day end, std::int64_t now_ms) {
  const Interval interval = parse_interval(interval_text);
  const Session& session = series.session;
  const SessionPoint now = session_point(session, now_ms);
  const Day last_day = std::min(end, now.day);

  const std::int64_t days = std::max<std::int64_t>(0, trading_day_index(last_day + 1) - trading_day_index(start));
  const std::int64_t per_day =
      interval.grouping == Grouping::kIntraday ? (session.length() + interval.seconds - 1) / interval.seconds : 1;
  if (days * per_day > kMaxCandles)
    throw oa::sdk::Error(OA_ERR_INVALID_ARGUMENT, "The range holds about " + std::to_string(days * per_day) +
                                                      " candles at interval " + std::string(interval_text) +
                                                      ", more than " + std::to_string(kMaxCandles) +
                                                      "; narrow the date range");

  // The last session second each day shows: all of it, but only up to now today.
  auto last_second = [&](Day day) { return day == now.day ? now.second : session.length() - 1; };
  json::array candles;
  if (interval.grouping == Grouping::kIntraday) {
    for (Day day = start; day <= last_day; ++day) {
      if (!is_trading_day(day)) continue;
      for (std::int32_t first = 0; first <= last_second(day); first += interval.seconds) {
        std::int32_t last = std::min(first + interval.seconds - 1, last_second(day));
        candles.push_back(
            candle(session_epoch_seconds(day, session, first), model.bar(series, listing.pricing, day, first, last)));
      }
    }
    return {{"candles", std::move(candles)}};
  }

  // D, W and M: one bar per trading day, merged per week or month.
  Day period_start = 0;
  Bar period;
  for (Day day = start; day <= last_day; ++day) {
    if (!is_trading_day(day)) continue;
    Bar bar = model.bar(series, listing.pricing, day, 0, last_second(day));
    bool same_period = !candles.empty() && interval.grouping != Grouping::kDay &&
                       period_of(interval.grouping, day) == period_of(interval.grouping, period_start);
    if (same_period) {
      merge(period, bar);
      candles.back() = candle(period_start * 86400, period);
      continue;
    }
    period_start = day;
    period = bar;
    candles.push_back(candle(period_start * 86400, period));
  }
  return {{"candles", std::move(candles)}};
}

}  // namespace oa::simulator
