#include "market_data.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "openalgo_sdk/date_ranges.hpp"
#include "openalgo_sdk/numbers.hpp"
#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::angel {
namespace {

inline constexpr std::string_view kQuotePath = "/rest/secure/angelbroking/market/v1/quote/";
inline constexpr std::string_view kCandlePath = "/rest/secure/angelbroking/historical/v1/getCandleData";
inline constexpr std::string_view kOiPath = "/rest/secure/angelbroking/historical/v1/getOIData";
inline constexpr std::size_t kQuoteBatch = 50;  // SmartAPI's most tokens per quote request

using Key = std::pair<std::string, std::string>;  // (Angel exchange, token)

double number(const json::object& row, std::string_view key) { return sdk::number_member(row, key); }
std::int64_t whole(const json::object& row, std::string_view key) { return std::llround(number(row, key)); }

std::string text(const json::object& row, std::string_view key) {
  const auto* value = row.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// One FULL-mode quote request for `keys` (at most kQuoteBatch): Angel's rows by (exchange, token).
std::map<Key, json::object> fetch_quotes(SmartApiClient& smartapi, const sdk::Call& call, const std::vector<Key>& keys) {
  json::object tokens;
  for (const auto& [exchange, token] : keys) {
    auto& list = tokens[exchange];
    if (!list.is_array()) list = json::array{};
    list.as_array().push_back(json::string(token));
  }
  json::value body = json::object{{"mode", "FULL"}, {"exchangeTokens", std::move(tokens)}};
  auto data = smartapi.request(call, smartapi.limits().quote, "POST", kQuotePath, &body);
  std::map<Key, json::object> rows;
  const auto* object = data.if_object();
  const auto* fetched = object ? object->if_contains("fetched") : nullptr;
  if (fetched && fetched->is_array())
    for (const auto& row : fetched->as_array())
      if (row.is_object())
        rows[{text(row.as_object(), "exchange"), text(row.as_object(), "symbolToken")}] = row.as_object();
  return rows;
}

json::object quote_of(const sdk::Instrument& instrument, SmartApiClient& smartapi, const sdk::Call& call) {
  Key key{instrument.brexchange, instrument.token};
  auto rows = fetch_quotes(smartapi, call, {key});
  auto found = rows.find(key);
  if (found == rows.end())
    throw sdk::Error(OA_ERR_BROKER, "Angel returned no quote for " + instrument.symbol + " on " + instrument.exchange);
  return found->second;
}

json::array levels(const json::object& row, std::string_view side) {
  json::array out;
  const auto* depth = row.if_contains("depth");
  const auto* book = depth && depth->is_object() ? depth->as_object().if_contains(side) : nullptr;
  if (book && book->is_array())
    for (const auto& level : book->as_array()) {
      if (out.size() == OA_DEPTH_LEVELS) break;
      if (!level.is_object()) continue;
      out.push_back(json::object{{"price", number(level.as_object(), "price")},
                                 {"quantity", whole(level.as_object(), "quantity")}});
    }
  while (out.size() < OA_DEPTH_LEVELS) out.push_back(json::object{{"price", 0.0}, {"quantity", 0}});
  return out;
}

double best(const json::object& row, std::string_view side) {
  auto book = levels(row, side);
  return book[0].as_object().at("price").to_number<double>();
}

json::object quote_document(const json::object& row) {
  return {{"ask", best(row, "sell")},       {"bid", best(row, "buy")},    {"high", number(row, "high")},
          {"low", number(row, "low")},      {"ltp", number(row, "ltp")},  {"open", number(row, "open")},
          {"prev_close", number(row, "close")}, {"volume", whole(row, "tradeVolume")},
          {"oi", whole(row, "opnInterest")}};
}

// ---- history -----------------------------------------------------------------

std::string angel_time(sdk::Date date, const char* clock) { return sdk::format_date(date) + " " + clock; }

bool carries_oi(std::string_view exchange) {
  return exchange == "NFO" || exchange == "BFO" || exchange == "CDS" || exchange == "MCX";
}

json::array rows_of(const json::value& data) {
  const auto* rows = data.if_array();
  return rows ? *rows : json::array{};
}

// A bar's OpenAlgo timestamp: intraday bars at their true epoch; daily bars at
// 00:00 UTC of their trading date (OpenAlgo's convention).
std::optional<std::int64_t> bar_time(std::string_view stamp, bool daily) {
  auto epoch = epoch_seconds(stamp);
  if (!epoch || !daily) return epoch;
  auto date = sdk::parse_date(stamp.substr(0, 10));
  if (!date) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(date->time_since_epoch()).count();
}

}  // namespace

std::optional<std::int64_t> epoch_seconds(std::string_view stamp) {
  int hour = 0, minute = 0, second = 0, offset_hour = 0, offset_minute = 0;
  char sign = '+';
  if (stamp.size() < 19) return std::nullopt;
  auto date = sdk::parse_date(stamp.substr(0, 10));
  std::string clock(stamp.substr(11));
  if (!date || std::sscanf(clock.c_str(), "%2d:%2d:%2d%c%2d:%2d", &hour, &minute, &second, &sign, &offset_hour,
                           &offset_minute) < 3)
    return std::nullopt;
  std::int64_t days = date->time_since_epoch().count();
  std::int64_t offset = (offset_hour * 3600 + offset_minute * 60) * (sign == '-' ? -1 : 1);
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

json::value quotes(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto row = resolve(smartapi.host(), sdk::text_field(request, "symbol"), sdk::text_field(request, "exchange"));
  return quote_document(quote_of(row, smartapi, call));
}

json::value multiquotes(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  const auto* symbols = request.if_contains("symbols");
  if (!symbols || !symbols->is_array()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'symbols' must be a list");
  struct Wanted {
    std::string symbol, exchange;
    std::optional<sdk::Instrument> row;
  };
  std::vector<Wanted> wanted;
  std::vector<Key> keys;
  for (const auto& item : symbols->as_array()) {
    if (!item.is_object()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "each of 'symbols' must be {symbol, exchange}");
    Wanted entry{std::string(sdk::text_field(item.as_object(), "symbol")),
                 std::string(sdk::text_field(item.as_object(), "exchange")), std::nullopt};
    entry.row = smartapi.host().find_instrument(0, entry.symbol, entry.exchange);
    if (entry.row) keys.emplace_back(entry.row->brexchange, entry.row->token);
    wanted.push_back(std::move(entry));
  }
  std::map<Key, json::object> fetched;
  for (std::size_t start = 0; start < keys.size(); start += kQuoteBatch) {
    std::vector<Key> batch(keys.begin() + start, keys.begin() + std::min(keys.size(), start + kQuoteBatch));
    fetched.merge(fetch_quotes(smartapi, call, batch));
  }
  json::array results;
  for (const auto& entry : wanted) {
    json::object result{{"symbol", entry.symbol}, {"exchange", entry.exchange}};
    auto found = entry.row ? fetched.find({entry.row->brexchange, entry.row->token}) : fetched.end();
    if (!entry.row) result["error"] = "Symbol " + entry.symbol + " not found on " + entry.exchange;
    else if (found == fetched.end()) result["error"] = "Angel returned no quote for " + entry.symbol;
    else result["data"] = quote_document(found->second);
    results.push_back(std::move(result));
  }
  return json::object{{"results", std::move(results)}};
}

json::value depth(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto instrument = resolve(smartapi.host(), sdk::text_field(request, "symbol"), sdk::text_field(request, "exchange"));
  auto row = quote_of(instrument, smartapi, call);
  return json::object{{"bids", levels(row, "buy")},
                      {"asks", levels(row, "sell")},
                      {"high", number(row, "high")},
                      {"low", number(row, "low")},
                      {"ltp", number(row, "ltp")},
                      {"ltq", whole(row, "lastTradeQty")},
                      {"oi", whole(row, "opnInterest")},
                      {"open", number(row, "open")},
                      {"prev_close", number(row, "close")},
                      {"totalbuyqty", whole(row, "totBuyQuan")},
                      {"totalsellqty", whole(row, "totSellQuan")},
                      {"volume", whole(row, "tradeVolume")}};
}

json::value history(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto instrument = resolve(smartapi.host(), sdk::text_field(request, "symbol"), sdk::text_field(request, "exchange"));
  auto interval = std::string(kIntervals.to_broker(sdk::text_field(request, "interval")));
  auto first = sdk::date_field(request, "start_date");
  auto last = sdk::date_field(request, "end_date");
  if (last < first) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'end_date' is before 'start_date'");
  int max_days = history_chunk_days(interval);
  auto chunks = sdk::split_dates(first, last, max_days);
  // Every chunk must arrive or the answer would have a hole; the ones the
  // limit would refuse are refused before any is sent, not half-way.
  constexpr std::size_t kRequestsPerCall = 3;  // SmartAPI: 3 candle requests a second
  if (chunks.size() > kRequestsPerCall)
    throw sdk::Error(OA_ERR_INVALID_ARGUMENT,
                     "Angel serves " + std::to_string(max_days) + " days of " + std::string(request.at("interval").as_string()) +
                         " bars per request and 3 requests a second: ask for at most " +
                         std::to_string(max_days * kRequestsPerCall) + " days at a time");
  bool daily = interval == "ONE_DAY";
  bool with_oi = carries_oi(instrument.brexchange);
  json::array candles;
  for (const auto& chunk : chunks) {
    json::value body = json::object{{"exchange", instrument.brexchange},
                                    {"symboltoken", instrument.token},
                                    {"interval", interval},
                                    {"fromdate", angel_time(chunk.first, "00:00")},
                                    {"todate", angel_time(chunk.last, "23:59")}};
    std::map<std::int64_t, std::int64_t> oi_at;
    if (with_oi)
      for (const auto& row : rows_of(smartapi.request(call, smartapi.limits().oi, "POST", kOiPath, &body)))
        if (row.is_object())
          if (auto at = bar_time(text(row.as_object(), "time"), daily)) oi_at[*at] = whole(row.as_object(), "oi");
    for (const auto& bar : rows_of(smartapi.request(call, smartapi.limits().candles, "POST", kCandlePath, &body))) {
      const auto* fields = bar.if_array();
      if (!fields || fields->size() < 6 || !(*fields)[0].is_string())
        throw sdk::Error(OA_ERR_BROKER, "Angel sent a candle that is not [time, open, high, low, close, volume]");
      auto at = bar_time((*fields)[0].get_string(), daily);
      if (!at) throw sdk::Error(OA_ERR_BROKER, "Angel sent a candle with an unreadable time");
      auto oi = oi_at.find(*at);
      candles.push_back(json::object{{"timestamp", *at},
                                     {"open", sdk::number_of(&(*fields)[1])},
                                     {"high", sdk::number_of(&(*fields)[2])},
                                     {"low", sdk::number_of(&(*fields)[3])},
                                     {"close", sdk::number_of(&(*fields)[4])},
                                     {"volume", std::llround(sdk::number_of(&(*fields)[5]))},
                                     {"oi", oi == oi_at.end() ? 0 : oi->second}});
    }
  }
  return json::object{{"candles", std::move(candles)}};
}

}  // namespace oa::angel
