#include "plugins/conformance.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "instruments/instrument_index.hpp"
#include "plugins/plugin_host.hpp"

namespace oa::plugins {
namespace {

namespace json = boost::json;
using Verdict = CheckResult::Verdict;

// Runs the checks of one loaded plugin, collecting a result per check.
class Conformance {
 public:
  Conformance(PluginHost& host, instruments::InstrumentTable& table, std::atomic<int>& ticks, Manifest manifest)
      : host_(host), table_(table), ticks_(ticks), manifest_(std::move(manifest)) {}

  std::vector<CheckResult> run(const std::string& login_fields) {
    pass("loads", manifest_.id + " " + manifest_.version + " (ABI " + std::to_string(manifest_.abi_major) + "." +
                      std::to_string(manifest_.abi_minor) + ")");
    check_login(login_fields);
    check_master_contract();
    check_quotes();
    check_multiquotes();
    check_depth();
    check_history();
    check_streaming();
    check_undeclared();
    check_bad_request();
    return std::move(results_);
  }

 private:
  bool declared(std::uint64_t bit) const { return (manifest_.capabilities & bit) != 0; }
  void pass(std::string name, std::string detail = {}) { results_.push_back({std::move(name), Verdict::Pass, std::move(detail)}); }
  void fail(std::string name, std::string detail) { results_.push_back({std::move(name), Verdict::Fail, std::move(detail)}); }
  void skip(std::string name, std::string detail) { results_.push_back({std::move(name), Verdict::Skip, std::move(detail)}); }

  // A broker's own request limit (Kite: one quote request a second) is
  // answered at once with RATE_LIMITED; like any client, the suite tries
  // again a little later rather than count that as a failure.
  Outcome call(Operation operation, const json::object& request) {
    auto outcome = host_.call_and_wait(manifest_.id, operation, json::serialize(request), session_);
    for (int retry = 0; retry < 20 && outcome.status == OA_ERR_RATE_LIMITED; ++retry) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      outcome = host_.call_and_wait(manifest_.id, operation, json::serialize(request), session_);
    }
    return outcome;
  }

  static std::string text_member(const json::object& document, std::string_view key) {
    const auto* value = document.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  }

  void check_login(const std::string& fields) {
    if (manifest_.auth_style == OA_AUTH_NONE) return skip("login", "no login");
    if (fields.empty()) return skip("login", "no login fields given (--login NAME=VALUE); calls run without a session");
    auto refused = host_.call_and_wait(manifest_.id, Operation::Authenticate, "{}");
    if (refused.ok()) fail("login: no fields", "answered OK without any login field");
    else pass("login: no fields", refused.message);
    auto session = answer("login", host_.call_and_wait(manifest_.id, Operation::Authenticate, fields));
    if (!session) return;
    session_ = {text_member(*session, "auth_token"), text_member(*session, "feed_token"),
                text_member(*session, "broker_user_id")};
    if (session_.auth_token.empty()) return fail("login", "the answer has no auth_token");
    pass("login", "session for " + (session_.broker_user_id.empty() ? "an unnamed user" : session_.broker_user_id));
  }

  // The answer as an object, or a failure recorded under `name`.
  std::optional<json::object> answer(const std::string& name, const Outcome& outcome) {
    if (!outcome.ok()) {
      fail(name, "status " + std::to_string(outcome.status) + ": " + outcome.message);
      return std::nullopt;
    }
    boost::system::error_code ec;
    auto document = json::parse(outcome.json, ec);
    if (ec || !document.is_object()) {
      fail(name, "the answer is not a JSON object: " + outcome.json.substr(0, 200));
      return std::nullopt;
    }
    return std::move(document.as_object());
  }

  // Names of `keys` missing from `object` or not numbers.
  static std::string missing_numbers(const json::object& object, std::initializer_list<const char*> keys) {
    std::string missing;
    for (const char* key : keys) {
      const json::value* value = object.if_contains(key);
      if (!value || !value->is_number()) missing += std::string(missing.empty() ? "" : ", ") + key;
    }
    return missing;
  }

  json::object sample_request() const {
    return json::object{{"symbol", sample_->symbol}, {"exchange", sample_->exchange}};
  }

  void check_master_contract() {
    if (!declared(OA_CAP_MASTER_CONTRACT)) return skip("master contract", "not declared");
    std::vector<instruments::Instrument> rows;
    auto outcome = host_.master_contract(manifest_.id, rows);
    if (!outcome.ok()) return fail("master contract", outcome.message);
    if (rows.empty()) return fail("master contract", "no instruments");
    for (const auto& row : rows)
      if (row.symbol.empty() || row.exchange.empty() || row.token.empty() || row.lotsize <= 0)
        return fail("master contract", "row without symbol, exchange, token or lot size: '" + row.symbol + "'");
    auto count = rows.size();
    for (const auto& row : rows)
      if (!sample_ && (row.instrumenttype == "EQ" || row.instrumenttype.empty()) && row.exchange == "NSE") sample_ = row;
    if (!sample_) sample_ = rows.front();
    table_.replace(manifest_.id, std::make_shared<instruments::InstrumentIndex>(std::move(rows)));
    pass("master contract", std::to_string(count) + " instruments; sample " + sample_->symbol + " " + sample_->exchange);
  }

  bool need_sample(const std::string& name) {
    if (sample_) return true;
    skip(name, "no instrument to ask for (the plugin has no master contract)");
    return false;
  }

  void check_quotes() {
    if (!declared(OA_CAP_QUOTES)) return skip("quotes", "not declared");
    if (!need_sample("quotes")) return;
    auto quote = answer("quotes", call(Operation::Quotes, sample_request()));
    if (!quote) return;
    auto missing = missing_numbers(*quote, {"ask", "bid", "high", "low", "ltp", "open", "prev_close", "volume"});
    if (!missing.empty()) return fail("quotes", "missing or non-numeric: " + missing);
    pass("quotes", "ltp " + json::serialize(quote->at("ltp")));
    auto unknown = call(Operation::Quotes, json::object{{"symbol", "NO_SUCH_SYMBOL_X"}, {"exchange", sample_->exchange}});
    if (unknown.ok()) fail("quotes: unknown symbol", "answered OK for a symbol that does not exist");
    else if (unknown.message.empty()) fail("quotes: unknown symbol", "error without a message");
    else pass("quotes: unknown symbol", unknown.message);
  }

  void check_multiquotes() {
    if (!declared(OA_CAP_MULTIQUOTES)) return skip("multiquotes", "not declared");
    if (!need_sample("multiquotes")) return;
    json::array symbols{sample_request(), json::object{{"symbol", "NO_SUCH_SYMBOL_X"}, {"exchange", sample_->exchange}}};
    auto result = answer("multiquotes", call(Operation::Multiquotes, json::object{{"symbols", symbols}}));
    if (!result) return;
    const auto* rows = result->if_contains("results");
    if (!rows || !rows->is_array() || rows->as_array().size() != 2)
      return fail("multiquotes", "expected \"results\" with one entry per symbol");
    const auto& first = rows->as_array()[0].as_object();
    const auto& second = rows->as_array()[1].as_object();
    if (!first.contains("data") || !second.contains("error"))
      return fail("multiquotes", "expected data for the known symbol and error for the unknown one");
    pass("multiquotes");
  }

  static bool five_levels(const json::object& depth, const char* side) {
    const auto* levels = depth.if_contains(side);
    if (!levels || !levels->is_array() || levels->as_array().size() != 5) return false;
    for (const auto& level : levels->as_array())
      if (!level.is_object() || !missing_numbers(level.as_object(), {"price", "quantity"}).empty()) return false;
    return true;
  }

  void check_depth() {
    if (!declared(OA_CAP_DEPTH)) return skip("depth", "not declared");
    if (!need_sample("depth")) return;
    auto depth = answer("depth", call(Operation::Depth, sample_request()));
    if (!depth) return;
    if (!five_levels(*depth, "bids") || !five_levels(*depth, "asks")) return fail("depth", "bids and asks must be 5 levels of {price, quantity}");
    auto missing = missing_numbers(*depth, {"ltp", "open", "high", "low", "prev_close", "volume", "totalbuyqty", "totalsellqty"});
    if (!missing.empty()) return fail("depth", "missing or non-numeric: " + missing);
    pass("depth");
  }

  void check_history() {
    if (!declared(OA_CAP_HISTORY)) return skip("history", "not declared");
    if (!need_sample("history")) return;
    auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    auto date = [](std::chrono::sys_days day) {
      std::chrono::year_month_day ymd(day);
      char text[16];
      std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
      return std::string(text);
    };
    for (const auto& interval : manifest_.intervals) {
      auto request = sample_request();
      request["interval"] = interval;
      request["start_date"] = date(today - std::chrono::days(7));
      request["end_date"] = date(today);
      auto history = answer("history " + interval, call(Operation::History, request));
      if (!history) continue;
      const auto* candles = history->if_contains("candles");
      if (!candles || !candles->is_array()) {
        fail("history " + interval, "expected {\"candles\": [...]}");
        continue;
      }
      std::int64_t previous = 0;
      std::string problem;
      for (const auto& candle : candles->as_array()) {
        if (!candle.is_object()) { problem = "a candle is not an object"; break; }
        auto missing = missing_numbers(candle.as_object(), {"timestamp", "open", "high", "low", "close", "volume"});
        if (!missing.empty()) { problem = "candle missing " + missing; break; }
        auto timestamp = candle.as_object().at("timestamp").to_number<std::int64_t>();
        if (timestamp <= previous) { problem = "timestamps not strictly ascending"; break; }
        previous = timestamp;
      }
      if (problem.empty()) pass("history " + interval, std::to_string(candles->as_array().size()) + " candles");
      else fail("history " + interval, problem);
    }
  }

  void check_streaming() {
    if (!declared(OA_CAP_MARKET_STREAM)) return skip("streaming", "not declared");
    if (!need_sample("streaming")) return;
    StreamKey key{sample_->symbol, sample_->exchange, sample_->token, OA_MODE_QUOTE};
    int before = ticks_;
    auto subscribed = host_.subscribe(manifest_.id, {key}, session_);
    if (!subscribed.ok()) return fail("streaming", "subscribe failed: " + subscribed.message);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (ticks_ == before && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto unsubscribed = host_.unsubscribe(manifest_.id, {key}, session_);
    if (ticks_ == before) return fail("streaming", "no tick within 10 s of subscribing");
    if (!unsubscribed.ok()) return fail("streaming", "unsubscribe failed: " + unsubscribed.message);
    pass("streaming", "ticks arrive after subscribe");
  }

  void check_undeclared() {
    if (declared(OA_CAP_ORDERS)) return skip("orders", "declared; needs a broker session (run against a fake upstream)");
    auto outcome = call(Operation::PlaceOrder, json::object{});
    if (outcome.status == OA_ERR_NOT_SUPPORTED) pass("undeclared capability", outcome.message);
    else fail("undeclared capability", "orders are not declared, yet the call did not answer not-supported");
  }

  void check_bad_request() {
    if (!declared(OA_CAP_QUOTES)) return;
    auto outcome = host_.call_and_wait(manifest_.id, Operation::Quotes, "{not json");
    if (outcome.status == OA_ERR_INVALID_ARGUMENT) pass("malformed request", outcome.message);
    else fail("malformed request", "expected an invalid-argument status, got " + std::to_string(outcome.status));
  }

  PluginHost& host_;
  instruments::InstrumentTable& table_;
  std::atomic<int>& ticks_;
  Manifest manifest_;
  Session session_;
  std::optional<instruments::Instrument> sample_;
  std::vector<CheckResult> results_;
};

}  // namespace

std::vector<CheckResult> check_plugin(const std::filesystem::path& file, const ConformanceOptions& options) {
  instruments::InstrumentTable table;
  std::atomic<int> ticks{0};
  HostOptions host_options;
  host_options.copy_dir = options.scratch_dir;
  host_options.workers = 4;
  host_options.default_deadline = std::chrono::seconds(20);
  host_options.drain_timeout = std::chrono::seconds(20);
  host_options.setting = options.setting;
  HostServices services;
  services.instruments = &table;
  services.http = options.http;
  services.ws = options.ws;
  services.on_tick = [&ticks](const std::string&, const oa_tick&) { ++ticks; };
  PluginHost host(std::move(host_options), std::move(services));
  std::string id;
  try {
    id = host.load(file);
  } catch (const LoadError& error) {
    return {{"loads", CheckResult::Verdict::Fail, error.what()}};
  }
  return Conformance(host, table, ticks, *host.manifest(id)).run(options.login_fields);
}

}  // namespace oa::plugins
