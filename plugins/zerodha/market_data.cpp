#include "market_data.hpp"

#include <chrono>
#include <cstdio>

#include "openalgo_sdk/date_ranges.hpp"
#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::zerodha {
namespace {

double number(const json::object& row, std::string_view key) { return number_of(row.if_contains(key)); }

const json::object& object_at(const json::object& row, std::string_view key) {
  static const json::object empty;
  const auto* value = row.if_contains(key);
  return value && value->is_object() ? value->as_object() : empty;
}

// /quote for these rows: Kite's data object, keyed "EXCHANGE:tradingsymbol".
json::object fetch_quotes(KiteClient& kite, const sdk::Call& call, const std::vector<sdk::Instrument>& rows) {
  std::string path = "/quote?";
  for (std::size_t i = 0; i < rows.size(); ++i) path += (i ? "&i=" : "i=") + sdk::url_encode(quote_key(rows[i]));
  auto data = kite.request(call, kite.limits().quote, "GET", path);
  return data.is_object() ? data.as_object() : json::object{};
}

json::object quote_document(const json::object& quote) {
  const auto& ohlc = object_at(quote, "ohlc");
  const auto& book = object_at(quote, "depth");
  auto best = [&book](std::string_view side) {
    const auto* levels = book.if_contains(side);
    if (!levels || !levels->is_array() || levels->as_array().empty() || !levels->as_array()[0].is_object()) return 0.0;
    return number(levels->as_array()[0].as_object(), "price");
  };
  return {{"ask", best("sell")},           {"bid", best("buy")},
          {"high", number(ohlc, "high")},  {"low", number(ohlc, "low")},
          {"ltp", number(quote, "last_price")}, {"open", number(ohlc, "open")},
          {"prev_close", number(ohlc, "close")}, {"volume", static_cast<std::int64_t>(number(quote, "volume"))},
          {"oi", static_cast<std::int64_t>(number(quote, "oi"))}};
}

const json::object& quote_for(const json::object& data, const sdk::Instrument& row) {
  const auto* quote = data.if_contains(quote_key(row));
  if (!quote || !quote->is_object())
    throw sdk::Error(OA_ERR_NOT_FOUND, "Kite returned no quote for " + row.symbol + " on " + row.exchange);
  return quote->as_object();
}

json::array five_levels(const json::object& book, std::string_view side, std::int64_t& total) {
  json::array levels;
  const auto* given = book.if_contains(side);
  if (given && given->is_array())
    for (const auto& level : given->as_array()) {
      if (levels.size() == 5 || !level.is_object()) break;
      auto quantity = static_cast<std::int64_t>(number(level.as_object(), "quantity"));
      total += quantity;
      levels.push_back(json::object{{"price", number(level.as_object(), "price")}, {"quantity", quantity}});
    }
  while (levels.size() < 5) levels.push_back(json::object{{"price", 0.0}, {"quantity", 0}});
  return levels;
}

}  // namespace

json::value quotes(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  auto row = resolve(kite.host(), sdk::text_field(request, "symbol"), sdk::text_field(request, "exchange"));
  return quote_document(quote_for(fetch_quotes(kite, call, {row}), row));
}

// One error per symbol that cannot be answered (unknown, missing from Kite's
// answer, over the rate limit), so a batch never silently drops a symbol.
json::value multiquotes(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  const auto* symbols = request.if_contains("symbols");
  if (!symbols || !symbols->is_array()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'symbols' must be a list");
  struct Item {
    std::string symbol, exchange;
    std::optional<sdk::Instrument> row;
  };
  std::vector<Item> items;
  for (const auto& entry : symbols->as_array()) {
    if (!entry.is_object()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "each of 'symbols' must be {symbol, exchange}");
    Item item{std::string(sdk::text_field(entry.as_object(), "symbol")),
              std::string(sdk::text_field(entry.as_object(), "exchange")), std::nullopt};
    item.row = kite.host().find_instrument(0, item.symbol, item.exchange);
    items.push_back(std::move(item));
  }
  json::array results;
  auto error_row = [&results](const Item& item, const std::string& message) {
    results.push_back(json::object{{"symbol", item.symbol}, {"exchange", item.exchange}, {"error", message}});
  };
  for (std::size_t start = 0; start < items.size(); start += kQuoteBatch) {
    std::size_t end = std::min(items.size(), start + kQuoteBatch);
    std::vector<sdk::Instrument> rows;
    for (std::size_t i = start; i < end; ++i)
      if (items[i].row) rows.push_back(*items[i].row);
    json::object data;
    std::string batch_error;
    try {
      if (!rows.empty()) data = fetch_quotes(kite, call, rows);
    } catch (const sdk::Error& error) {
      if (start == 0) throw;  // the whole request failed: say so once
      batch_error = error.what();
    }
    for (std::size_t i = start; i < end; ++i) {
      const auto& item = items[i];
      if (!item.row) {
        error_row(item, "Symbol " + item.symbol + " not found on " + item.exchange);
        continue;
      }
      if (!batch_error.empty()) {
        error_row(item, batch_error);
        continue;
      }
      const auto* quote = data.if_contains(quote_key(*item.row));
      if (!quote || !quote->is_object()) {
        error_row(item, "Kite returned no quote");
        continue;
      }
      results.push_back(json::object{{"symbol", item.symbol}, {"exchange", item.exchange},
                                     {"data", quote_document(quote->as_object())}});
    }
  }
  return json::object{{"results", std::move(results)}};
}

json::value depth(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  auto row = resolve(kite.host(), sdk::text_field(request, "symbol"), sdk::text_field(request, "exchange"));
  auto data = fetch_quotes(kite, call, {row});
  const auto& quote = quote_for(data, row);
  const auto& book = object_at(quote, "depth");
  const auto& ohlc = object_at(quote, "ohlc");
  std::int64_t total_buy = 0, total_sell = 0;
  auto bids = five_levels(book, "buy", total_buy);
  auto asks = five_levels(book, "sell", total_sell);
  // Kite's own totals cover the whole book, not only five levels.
  if (quote.contains("buy_quantity")) total_buy = static_cast<std::int64_t>(number(quote, "buy_quantity"));
  if (quote.contains("sell_quantity")) total_sell = static_cast<std::int64_t>(number(quote, "sell_quantity"));
  return json::object{{"bids", std::move(bids)},
                      {"asks", std::move(asks)},
                      {"high", number(ohlc, "high")},
                      {"low", number(ohlc, "low")},
                      {"ltp", number(quote, "last_price")},
                      {"ltq", static_cast<std::int64_t>(number(quote, "last_quantity"))},
                      {"oi", static_cast<std::int64_t>(number(quote, "oi"))},
                      {"open", number(ohlc, "open")},
                      {"prev_close", number(ohlc, "close")},
                      {"totalbuyqty", total_buy},
                      {"totalsellqty", total_sell},
                      {"volume", static_cast<std::int64_t>(number(quote, "volume"))}};
}

std::optional<std::int64_t> candle_time(std::string_view text, bool daily) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offset = 0;
  char sign = '+';
  if (std::sscanf(std::string(text).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%4d", &year, &month, &day, &hour, &minute,
                  &second, &sign, &offset) != 8)
    return std::nullopt;
  auto date = sdk::Date(std::chrono::year_month_day{std::chrono::year(year), std::chrono::month(month),
                                                    std::chrono::day(day)});
  std::int64_t midnight = std::chrono::duration_cast<std::chrono::seconds>(date.time_since_epoch()).count();
  if (daily) return midnight;
  std::int64_t offset_seconds = (offset / 100 * 3600 + offset % 100 * 60) * (sign == '-' ? -1 : 1);
  return midnight + hour * 3600 + minute * 60 + second - offset_seconds;
}

json::value history(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  auto row = resolve(kite.host(), sdk::text_field(request, "symbol"), sdk::text_field(request, "exchange"));
  auto interval = kIntervals.to_broker(sdk::text_field(request, "interval"));
  auto first = sdk::date_field(request, "start_date");
  auto last = sdk::date_field(request, "end_date");
  if (last < first) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "end_date is before start_date");
  bool daily = interval == "day";
  json::array candles;
  std::int64_t previous = -1;
  // Chunks are consecutive whole days, so each bar falls in exactly one. A
  // range needing more requests than Kite lets through at once could only be
  // served by waiting, which the plugin never does: it says how to split it.
  auto chunks = sdk::split_dates(first, last, history_chunk_days(interval));
  auto& limit = kite.limits().historical;
  if (chunks.size() > static_cast<std::size_t>(limit.burst()))
    throw sdk::Error(OA_ERR_INVALID_ARGUMENT,
                     "Kite serves " + std::to_string(history_chunk_days(interval)) + " days of " +
                         std::string(sdk::text_field(request, "interval")) + " bars per request and " +
                         limit.describe() + ": ask for at most " +
                         std::to_string(static_cast<int>(limit.burst()) * history_chunk_days(interval)) +
                         " days at a time");
  for (const auto& chunk : chunks) {
    auto path = "/instruments/historical/" + instrument_token(row) + "/" + std::string(interval) +
                "?from=" + sdk::format_date(chunk.first) + "+00:00:00&to=" + sdk::format_date(chunk.last) +
                "+23:59:59&oi=1";
    auto data = kite.request(call, limit, "GET", path);
    const auto* rows = data.is_object() ? data.as_object().if_contains("candles") : nullptr;
    if (!rows || !rows->is_array()) throw sdk::Error(OA_ERR_BROKER, "Kite's historical answer has no candles");
    for (const auto& candle : rows->as_array()) {
      const auto* fields = candle.if_array();
      if (!fields || fields->size() < 6 || !(*fields)[0].is_string())
        throw sdk::Error(OA_ERR_BROKER, "Kite sent a candle that is not [time, open, high, low, close, volume, oi]");
      auto timestamp = candle_time((*fields)[0].get_string(), daily);
      if (!timestamp) throw sdk::Error(OA_ERR_BROKER, "Kite sent a candle time it cannot read: " + json::serialize((*fields)[0]));
      if (*timestamp <= previous) continue;  // a chunk border Kite answered twice
      previous = *timestamp;
      candles.push_back(json::object{{"timestamp", *timestamp},
                                     {"open", number_of(&(*fields)[1])},
                                     {"high", number_of(&(*fields)[2])},
                                     {"low", number_of(&(*fields)[3])},
                                     {"close", number_of(&(*fields)[4])},
                                     {"volume", static_cast<std::int64_t>(number_of(&(*fields)[5]))},
                                     {"oi", static_cast<std::int64_t>(fields->size() > 6 ? number_of(&(*fields)[6]) : 0)}});
    }
  }
  return json::object{{"candles", std::move(candles)}};
}

}  // namespace oa::zerodha
