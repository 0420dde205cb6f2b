#include "smartapi_fake.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include "../loopback_server.hpp"

namespace oa::test {
namespace {

namespace json = boost::json;

constexpr const char* kScripMasterPath = "/OpenAPI_File/files/OpenAPIScripMaster.json";
constexpr const char* kStreamPath = "/smart-stream";
constexpr const char* kOrderUpdatePath = "/smart-order-update";

struct Scrip {
  std::string token, symbol, exch_seg, instrumenttype;
  long lotsize = 1;
};

// ---- the envelope ------------------------------------------------------------

FakeHttpResponse envelope(int status, bool ok, const std::string& message, const std::string& code, json::value data) {
  return {status, "application/json",
          json::serialize(json::object{{"status", ok}, {"message", message}, {"errorcode", code}, {"data", std::move(data)}})};
}
FakeHttpResponse success(json::value data) { return envelope(200, true, "SUCCESS", "", std::move(data)); }
// Angel's usual refusal: HTTP 200 and status:false.
FakeHttpResponse refusal(const std::string& message, const std::string& code) {
  return envelope(200, false, message, code, nullptr);
}

std::string text(const json::object& body, const char* key) {
  const auto* value = body.if_contains(key);
  if (!value) return {};
  if (value->is_string()) return std::string(value->get_string());
  return json::serialize(*value);
}

double number(const json::object& body, const char* key) {
  auto value = text(body, key);
  char* end = nullptr;
  double parsed = std::strtod(value.c_str(), &end);
  return end != value.c_str() && *end == '\0' ? parsed : std::nan("");
}

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* candidate : allowed)
    if (value == candidate) return true;
  return false;
}

// "YYYY-MM-DD HH:MM" as {days since epoch, minutes of day}, or false.
bool parse_angel_time(const std::string& value, long& days, int& minutes) {
  int y, m, d, hh, mm;
  char tail;
  if (value.size() != 16 || std::sscanf(value.c_str(), "%4d-%2d-%2d %2d:%2d%c", &y, &m, &d, &hh, &mm, &tail) != 5)
    return false;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return false;
  days = std::chrono::sys_days(ymd).time_since_epoch().count();
  minutes = hh * 60 + mm;
  return true;
}

std::string iso_ist(long days, int minutes) {
  std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:00+05:30", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()), minutes / 60, minutes % 60);
  return out;
}

// ---- SmartStream packets -----------------------------------------------------

void put(std::string& packet, std::size_t offset, std::int64_t value) {
  for (int i = 0; i < 8; ++i) packet[offset + i] = static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff);
}
void put16(std::string& packet, std::size_t offset, std::uint16_t value) {
  packet[offset] = static_cast<char>(value & 0xff);
  packet[offset + 1] = static_cast<char>(value >> 8);
}
void put_double(std::string& packet, std::size_t offset, double value) {
  std::int64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  put(packet, offset, bits);
}

}  // namespace

struct SmartApiFake::Impl {
  using Sub = std::tuple<int, int, std::string>;  // mode, exchangeType, token

  mutable std::mutex mutex;
  std::string scrip_file;
  std::map<std::pair<std::string, std::string>, Scrip> scrips;  // (exch_seg, token)
  SmartApiFault fault = SmartApiFault::None;
  int slow_ms = 0;
  bool instruments_fail = false;
  std::map<std::string, std::pair<std::string, std::string>> rejections;  // endpoint -> (message, code)
  std::map<std::string, int> delays;                                       // endpoint -> ms
  std::vector<SmartApiRequest> log;
  json::array orders;
  long next_order = 1;
  json::array rules;  // GTT
  long next_rule = 5000001;
  std::vector<std::string> stream_log;
  std::map<std::shared_ptr<FakeWsPeer>, std::set<Sub>> peers;
  std::set<std::shared_ptr<FakeWsPeer>> order_peers;  // on the order-status socket
  long step = 0;
  std::unique_ptr<LoopbackServer> server;

  Impl() {
    std::ifstream in(ANGEL_FAKE_SCRIP_MASTER);
    std::stringstream content;
    content << in.rdbuf();
    scrip_file = content.str();
    auto file = json::parse(scrip_file);
    for (const auto& row : file.as_array()) {
      const auto& r = row.as_object();
      Scrip scrip{text(r, "token"), text(r, "symbol"), text(r, "exch_seg"), text(r, "instrumenttype"),
                  std::atol(text(r, "lotsize").c_str())};
      if (!scrip.token.empty()) scrips[{scrip.exch_seg, scrip.token}] = scrip;
    }
    // An order placed after market hours yesterday, still in an intermediate state.
    orders.push_back(order_row("2411240000001", "NORMAL", "LIMIT", "DELIVERY", "BUY", scrips.at({"NSE", "1594"}), 5,
                               1500.0, 0, "after market order req received"));
    server = std::make_unique<LoopbackServer>([this](const FakeHttpRequest& request) { return answer(request); },
                                              FakeWsHandlers{[this](const FakeHttpRequest& r) { return accept(r); },
                                                             [this](const auto& peer) { open(peer); },
                                                             [this](const auto& peer, bool binary, const std::string& m) {
                                                               message(peer, binary, m);
                                                             },
                                                             [this](const auto& peer) { close(peer); }});
  }

  // ---- prices --------------------------------------------------------------

  static bool currency(const std::string& exch_seg) { return exch_seg == "CDS"; }
  double base_price(const Scrip& scrip) const {
    if (scrip.token == "3045") return 800.0;
    if (scrip.token == "2885") return 2900.0;
    if (scrip.token == "99926000") return 24000.0;
    if (currency(scrip.exch_seg)) return 84.1225;
    return 100.0 + std::atoi(scrip.token.substr(0, 3).c_str()) % 200;
  }
  double price_at(const Scrip& scrip, long at_step) const {
    return base_price(scrip) + (currency(scrip.exch_seg) ? 0.0025 : 0.05) * at_step;
  }

  // ---- REST ----------------------------------------------------------------

  FakeHttpResponse answer(const FakeHttpRequest& request) {
    std::lock_guard lock(mutex);
    log.push_back({request.method, request.path, request.body, request.headers});
    if (request.path == kScripMasterPath) {
      if (instruments_fail) return {500, "text/html", "<html><body>500 Internal Server Error</body></html>"};
      return {200, "application/octet-stream", scrip_file};
    }
    auto response = faulted(request);
    if (response) return *response;
    if (request.path == "/rest/auth/angelbroking/user/v1/loginByPassword") return login(request);
    if (auto refused = check_session(request)) return *refused;
    for (auto it = rejections.begin(); it != rejections.end(); ++it)
      if (request.path.ends_with(it->first)) {
        auto [message, code] = it->second;
        rejections.erase(it);
        return refusal(message, code);
      }
    auto response_now = route(request);
    for (auto it = delays.begin(); it != delays.end(); ++it)
      if (request.path.ends_with(it->first)) {
        response_now.delay_ms = it->second;
        delays.erase(it);
        break;
      }
    return response_now;
  }

  std::optional<FakeHttpResponse> faulted(const FakeHttpRequest& request) {
    switch (fault) {
      case SmartApiFault::ServerError:
        return FakeHttpResponse{503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"};
      case SmartApiFault::Malformed: return FakeHttpResponse{200, "application/json", R"({"status":true,"message":"SUCC)"};
      case SmartApiFault::Slow: {
        fault = SmartApiFault::None;  // only this answer is late; then route it normally
        auto late = answer_unlocked(request);
        fault = SmartApiFault::Slow;
        late.delay_ms = slow_ms;
        return late;
      }
      case SmartApiFault::TokenExpired:
        if (request.path.find("/secure/") != std::string::npos)
          return envelope(401, false, "Token Expired", "AG8002", nullptr);
        return std::nullopt;
      case SmartApiFault::None: return std::nullopt;
    }
    return std::nullopt;
  }

  FakeHttpResponse answer_unlocked(const FakeHttpRequest& request) {
    if (request.path == "/rest/auth/angelbroking/user/v1/loginByPassword") return login(request);
    if (auto refused = check_session(request)) return *refused;
    return route(request);
  }

  // The headers every SmartAPI call must carry; a missing one is refused.
  std::optional<FakeHttpResponse> check_headers(const FakeHttpRequest& request) const {
    for (const char* name : {"x-clientlocalip", "x-clientpublicip", "x-macaddress"})
      if (request.header(name).empty()) return refusal(std::string("Missing header ") + name, "AG8004");
    if (request.header("x-usertype") != "USER") return refusal("Invalid X-UserType", "AG8004");
    if (request.header("x-sourceid") != "WEB") return refusal("Invalid X-SourceID", "AG8004");
    if (request.header("accept") != "application/json") return refusal("Invalid Accept header", "AG8004");
    if (request.method == "POST" && request.header("content-type") != "application/json")
      return refusal("Invalid Content-Type", "AG8004");
    if (request.header("x-privatekey") != kApiKey) return refusal("Invalid API Key", "AG8004");
    return std::nullopt;
  }

  std::optional<FakeHttpResponse> check_session(const FakeHttpRequest& request) const {
    if (auto refused = check_headers(request)) return refused;
    if (request.header("authorization") != std::string("Bearer ") + kJwt)
      return envelope(401, false, "Invalid Token", "AG8001", nullptr);
    return std::nullopt;
  }

  static std::optional<json::object> body_of(const FakeHttpRequest& request) {
    boost::system::error_code ec;
    auto body = json::parse(request.body, ec);
    if (ec || !body.is_object()) return std::nullopt;
    return body.as_object();
  }

  FakeHttpResponse login(const FakeHttpRequest& request) {
    if (auto refused = check_headers(request)) return *refused;
    if (!request.header("authorization").empty()) return refusal("Login takes no Authorization header", "AG8004");
    auto body = body_of(request);
    if (!body) return refusal("Invalid request body", "AB1000");
    auto totp = text(*body, "totp");
    bool six_digits = totp.size() == 6 && totp.find_first_not_of("0123456789") == std::string::npos;
    if (!six_digits) return refusal("Invalid totp", "AB1050");
    if (text(*body, "clientcode") != kClientCode || text(*body, "password") != kPin)
      return refusal("Invalid clientcode or password", "AB1007");
    if (totp != kTotp) return refusal("Invalid totp", "AB1050");
    return success(json::object{{"jwtToken", kJwt}, {"refreshToken", "refresh-angel-1"}, {"feedToken", kFeedToken}});
  }

  FakeHttpResponse route(const FakeHttpRequest& request) {
    const std::string& path = request.path;
    auto name = path.substr(path.rfind('/', path.size() - 2) + 1);
    if (!name.empty() && name.back() == '/') name.pop_back();
    bool get = request.method == "GET";
    if (get && name == "getOrderBook") return success(orders.empty() ? json::value(nullptr) : json::value(orders));
    if (get && name == "getTradeBook") return trade_book();
    if (get && name == "getPosition") return positions();
    if (get && name == "getAllHolding") return holdings();
    if (get && name == "getRMS") return rms();
    if (get) return {404, "text/html", "<html>Not Found</html>"};
    auto body = body_of(request);
    if (!body) return refusal("Invalid request body", "AB1000");
    if (name == "placeOrder") return place(*body);
    if (name == "modifyOrder") return modify(*body);
    if (name == "cancelOrder") return cancel(*body);
    if (name == "quote") return quote(*body);
    if (name == "getCandleData") return candles(*body, false);
    if (name == "getOIData") return candles(*body, true);
    if (name == "batch") return margin(*body);
    if (path.find("/gtt/v1/") != std::string::npos) return gtt(name, *body);
    return {404, "text/html", "<html>Not Found</html>"};
  }

  // ---- GTT rules ---------------------------------------------------------------

  FakeHttpResponse gtt(const std::string& name, const json::object& body) {
    if (name == "createRule") return create_rule(body);
    if (name == "ruleList") return rule_list(body);
    auto* rule = find_rule(text(body, "id"));
    if (!rule) return refusal("GTT rule not found", "AB9002");
    if (name == "ruleDetails") return success(*rule);
    // modify and cancel name the rule's instrument too, and it must match.
    if (text(body, "symboltoken") != text(*rule, "symboltoken") || text(body, "exchange") != text(*rule, "exchange"))
      return refusal("Invalid symboltoken or exchange for this rule", "AB9003");
    if (text(*rule, "status") != "NEW") return refusal("GTT rule is not active", "AB9004");
    if (name == "cancelRule") {
      (*rule)["status"] = "CANCELLED";
      return success(json::object{{"id", text(body, "id")}});
    }
    if (name != "modifyRule") return {404, "text/html", "<html>Not Found</html>"};
    if (auto refused = check_rule_numbers(body)) return *refused;
    for (const char* key : {"price", "triggerprice"}) (*rule)[key] = number(body, key);
    (*rule)["qty"] = std::lround(number(body, "qty"));
    (*rule)["updateddate"] = "2024-11-25T10:25:00";
    return success(json::object{{"id", text(body, "id")}});
  }

  static std::optional<FakeHttpResponse> check_rule_numbers(const json::object& body) {
    for (const char* key : {"price", "qty", "triggerprice", "disclosedqty"})
      if (!body.if_contains(key) || !body.at(key).is_string() || !(number(body, key) >= 0))
        return refusal(std::string("Invalid ") + key, "AB9001");
    if (!(number(body, "qty") > 0) || !(number(body, "triggerprice") > 0)) return refusal("Invalid qty or triggerprice", "AB9001");
    return std::nullopt;
  }

  FakeHttpResponse create_rule(const json::object& body) {
    auto found = scrips.find({text(body, "exchange"), text(body, "symboltoken")});
    if (found == scrips.end() || found->second.symbol != text(body, "tradingsymbol"))
      return refusal("Invalid tradingsymbol or symboltoken", "AB1018");
    if (!one_of(text(body, "transactiontype"), {"BUY", "SELL"})) return refusal("Invalid transactiontype", "AB1009");
    if (!one_of(text(body, "producttype"), {"DELIVERY", "MARGIN"})) return refusal("Invalid producttype for GTT", "AB9005");
    if (auto refused = check_rule_numbers(body)) return *refused;
    auto id = std::to_string(next_rule++);
    rules.push_back(json::object{{"id", id},
                                 {"status", "NEW"},
                                 {"tradingsymbol", found->second.symbol},
                                 {"symboltoken", found->second.token},
                                 {"exchange", found->second.exch_seg},
                                 {"transactiontype", text(body, "transactiontype")},
                                 {"producttype", text(body, "producttype")},
                                 {"price", number(body, "price")},
                                 {"qty", std::lround(number(body, "qty"))},
                                 {"triggerprice", number(body, "triggerprice")},
                                 {"disclosedqty", std::lround(number(body, "disclosedqty"))},
                                 {"timeperiod", 365},
                                 {"createddate", "2024-11-25T10:20:00"},
                                 {"updateddate", "2024-11-25T10:20:00"},
                                 {"expirydate", "2025-11-25T00:00:00"},
                                 {"clientid", kClientCode}});
    return success(json::object{{"id", id}});
  }

  json::object* find_rule(const std::string& id) {
    for (auto& rule : rules)
      if (rule.as_object().at("id") == id.c_str()) return &rule.as_object();
    return nullptr;
  }

  FakeHttpResponse rule_list(const json::object& body) {
    const auto* statuses = body.if_contains("status");
    if (!statuses || !statuses->is_array() || statuses->as_array().empty()) return refusal("Invalid status", "AB9006");
    auto page = body.if_contains("page"), count = body.if_contains("count");
    if (!page || !page->is_int64() || page->as_int64() < 1 || !count || !count->is_int64() || count->as_int64() < 1)
      return refusal("Invalid page or count", "AB9006");
    json::array listed;
    for (const auto& rule : rules)
      for (const auto& status : statuses->as_array())
        if (rule.as_object().at("status") == status) listed.push_back(rule);
    auto from = static_cast<std::size_t>((page->as_int64() - 1) * count->as_int64());
    json::array shown;
    for (std::size_t i = from; i < listed.size() && shown.size() < static_cast<std::size_t>(count->as_int64()); ++i)
      shown.push_back(listed[i]);
    return success(shown.empty() ? json::value(nullptr) : json::value(std::move(shown)));
  }

  // ---- orders ----------------------------------------------------------------

  json::object order_row(const std::string& orderid, const std::string& variety, const std::string& ordertype,
                         const std::string& product, const std::string& side, const Scrip& scrip, long quantity,
                         double price, double trigger, const std::string& status) const {
    bool filled = status == "complete";
    return {{"variety", variety},       {"ordertype", ordertype},
            {"producttype", product},   {"duration", "DAY"},
            {"price", price},           {"triggerprice", trigger},
            {"quantity", std::to_string(quantity)},
            {"disclosedquantity", "0"}, {"tradingsymbol", scrip.symbol},
            {"transactiontype", side},  {"exchange", scrip.exch_seg},
            {"symboltoken", scrip.token},
            {"averageprice", filled ? price_at(scrip, step) : 0.0},
            {"filledshares", filled ? std::to_string(quantity) : "0"},
            {"unfilledshares", filled ? "0" : std::to_string(quantity)},
            {"orderid", orderid},       {"text", ""},
            {"status", status},         {"orderstatus", status},
            {"updatetime", "25-Nov-2024 10:15:00"},
            {"uniqueorderid", "u-" + orderid}};
  }

  // The checks Angel makes on an order's fields, shared by place and modify.
  std::optional<FakeHttpResponse> check_order(const json::object& body, const Scrip*& scrip) const {
    for (const char* key : {"variety", "tradingsymbol", "symboltoken", "exchange", "ordertype", "producttype",
                            "duration", "quantity"})
      if (text(body, key).empty()) return refusal(std::string("Missing field ") + key, "AB4008");
    auto variety = text(body, "variety"), ordertype = text(body, "ordertype");
    if (!one_of(variety, {"NORMAL", "STOPLOSS", "AMO", "ROBO"})) return refusal("Invalid variety", "AB1009");
    if (!one_of(ordertype, {"MARKET", "LIMIT", "STOPLOSS_LIMIT", "STOPLOSS_MARKET"}))
      return refusal("Invalid ordertype", "AB1009");
    if (!one_of(text(body, "producttype"), {"DELIVERY", "CARRYFORWARD", "MARGIN", "INTRADAY", "BO"}))
      return refusal("Invalid producttype", "AB1009");
    if (!one_of(text(body, "duration"), {"DAY", "IOC"})) return refusal("Invalid duration", "AB1009");
    if (!one_of(text(body, "exchange"), {"NSE", "BSE", "NFO", "BFO", "CDS", "MCX"}))
      return refusal("Invalid exchange", "AB1009");
    bool stoploss = ordertype.starts_with("STOPLOSS");
    if (stoploss != (variety == "STOPLOSS")) return refusal("Invalid variety for the order type", "AB1009");
    auto found = scrips.find({text(body, "exchange"), text(body, "symboltoken")});
    if (found == scrips.end() || found->second.symbol != text(body, "tradingsymbol"))
      return refusal("Invalid symboltoken or tradingsymbol", "AB1018");
    scrip = &found->second;
    double quantity = number(body, "quantity");
    if (!(quantity > 0) || std::fmod(quantity, double(scrip->lotsize)) != 0)
      return refusal("Quantity must be a multiple of the lot size " + std::to_string(scrip->lotsize), "AB1012");
    if ((ordertype == "LIMIT" || ordertype == "STOPLOSS_LIMIT") && !(number(body, "price") > 0))
      return refusal("Invalid price", "AB1013");
    if (stoploss && !(number(body, "triggerprice") > 0)) return refusal("Invalid triggerprice", "AB1014");
    return std::nullopt;
  }

  FakeHttpResponse place(const json::object& body) {
    const Scrip* scrip = nullptr;
    if (auto refused = check_order(body, scrip)) return *refused;
    if (!one_of(text(body, "transactiontype"), {"BUY", "SELL"})) return refusal("Invalid transactiontype", "AB1009");
    auto ordertype = text(body, "ordertype");
    auto status = ordertype == "MARKET" ? "complete" : ordertype == "LIMIT" ? "open" : "trigger pending";
    char id[32];
    std::snprintf(id, sizeof id, "2411251%08ld", next_order++);
    double price = ordertype == "MARKET" ? 0.0 : number(body, "price");
    orders.push_back(order_row(id, text(body, "variety"), ordertype, text(body, "producttype"),
                               text(body, "transactiontype"), *scrip, std::lround(number(body, "quantity")), price,
                               number(body, "triggerprice"), status));
    return success(json::object{{"script", scrip->symbol}, {"orderid", id}, {"uniqueorderid", std::string("u-") + id}});
  }

  json::object* find_order(const std::string& orderid) {
    for (auto& order : orders)
      if (order.as_object().at("orderid") == orderid.c_str()) return &order.as_object();
    return nullptr;
  }

  FakeHttpResponse modify(const json::object& body) {
    auto* order = find_order(text(body, "orderid"));
    if (!order) return refusal("Order not found", "AB2001");
    if (!one_of(text(*order, "status"), {"open", "trigger pending"})) return refusal("Order is not open", "AB2002");
    const Scrip* scrip = nullptr;
    if (auto refused = check_order(body, scrip)) return *refused;
    (*order)["ordertype"] = text(body, "ordertype");
    (*order)["price"] = number(body, "price");
    (*order)["triggerprice"] = number(body, "triggerprice");
    (*order)["quantity"] = text(body, "quantity");
    return success(json::object{{"orderid", text(body, "orderid")}});
  }

  FakeHttpResponse cancel(const json::object& body) {
    if (text(body, "variety").empty()) return refusal("Missing field variety", "AB4008");
    auto* order = find_order(text(body, "orderid"));
    if (!order) return refusal("Order not found", "AB2001");
    if (!one_of(text(*order, "status"), {"open", "trigger pending", "after market order req received"}))
      return refusal("Order is not open", "AB2002");
    (*order)["status"] = "cancelled";
    (*order)["orderstatus"] = "cancelled";
    return success(json::object{{"orderid", text(body, "orderid")}, {"uniqueorderid", "u-" + text(body, "orderid")}});
  }

  // ---- books -----------------------------------------------------------------

  FakeHttpResponse trade_book() const {
    json::array trades;
    for (const auto& value : orders) {
      const auto& order = value.as_object();
      if (text(order, "status") != "complete") continue;
      double price = number(order, "averageprice"), size = number(order, "quantity");
      trades.push_back(json::object{{"exchange", order.at("exchange")},
                                    {"producttype", order.at("producttype")},
                                    {"tradingsymbol", order.at("tradingsymbol")},
                                    {"instrumenttype", ""},
                                    {"tradevalue", price * size},
                                    {"transactiontype", order.at("transactiontype")},
                                    {"fillprice", price},
                                    {"fillsize", std::to_string(std::lround(size))},
                                    {"orderid", order.at("orderid")},
                                    {"fillid", "F" + text(order, "orderid")},
                                    {"filltime", "10:15:00"}});
    }
    return success(trades.empty() ? json::value(nullptr) : json::value(trades));
  }

  static FakeHttpResponse positions() {
    return success(json::parse(R"([
      {"exchange":"NSE","symboltoken":"3045","producttype":"INTRADAY","tradingsymbol":"SBIN-EQ","symbolname":"SBIN",
       "instrumenttype":"","buyqty":"10","sellqty":"0","buyamount":"8000.00","sellamount":"0.00","netqty":"10",
       "avgnetprice":"800.00","ltp":"805.50","pnl":"55.00"},
      {"exchange":"NFO","symboltoken":"43950","producttype":"CARRYFORWARD","tradingsymbol":"NIFTY28NOV2424000CE",
       "symbolname":"NIFTY","instrumenttype":"OPTIDX","buyqty":"0","sellqty":"25","buyamount":"0.00",
       "sellamount":"3000.00","netqty":"-25","avgnetprice":"120.00","ltp":"110.00"}
    ])"));
  }

  static FakeHttpResponse holdings() {
    return success(json::parse(R"({"holdings":[
      {"tradingsymbol":"RELIANCE-EQ","exchange":"NSE","isin":"INE002A01018","t1quantity":0,"realisedquantity":10,
       "quantity":10,"authorisedquantity":0,"product":"DELIVERY","collateralquantity":null,"collateraltype":null,
       "haircut":0,"averageprice":2500.5,"ltp":2900.0,"symboltoken":"2885","close":2890.0,"profitandloss":3995,
       "pnlpercentage":15.98}],
      "totalholding":{"totalholdingvalue":29000,"totalinvvalue":25005,"totalprofitandloss":3995,"totalpnlpercentage":15.98}})"));
  }

  static FakeHttpResponse rms() {
    return success(json::parse(R"({"net":"98500.25","availablecash":"100000.50","availableintradaypayin":"0",
      "availablelimitmargin":"0","collateral":"2500.00","m2munrealized":"120.25","m2mrealized":"-40.00",
      "utiliseddebits":"1500.75","utilisedspan":null,"utilisedoptionpremium":null,"utilisedholdingsales":null,
      "utilisedexposure":null,"utilisedturnover":null,"utilisedpayout":"0"})"));
  }

  // The batch margin calculator: 20% of each position's value, 70% of it SPAN.
  FakeHttpResponse margin(const json::object& body) const {
    const auto* positions = body.if_contains("positions");
    if (!positions || !positions->is_array() || positions->as_array().empty())
      return refusal("Missing positions", "AB4008");
    double total = 0;
    for (const auto& value : positions->as_array()) {
      if (!value.is_object()) return refusal("Invalid position", "AB4008");
      const auto& position = value.as_object();
      auto found = scrips.find({text(position, "exchange"), text(position, "token")});
      if (found == scrips.end()) return refusal("Invalid token", "AB4010");
      if (!one_of(text(position, "productType"), {"DELIVERY", "CARRYFORWARD", "MARGIN", "INTRADAY", "BO"}) ||
          !one_of(text(position, "tradeType"), {"BUY", "SELL"}) ||
          !one_of(text(position, "orderType"), {"MARKET", "LIMIT", "STOPLOSS_LIMIT", "STOPLOSS_MARKET"}))
        return refusal("Invalid position values", "AB1009");
      const auto* qty = position.if_contains("qty");
      if (!qty || !qty->is_int64() || qty->as_int64() <= 0) return refusal("Invalid qty", "AB1012");
      total += double(qty->as_int64()) * price_at(found->second, step) * 0.2;
    }
    return success(json::object{{"totalMarginRequired", total},
                                {"marginComponents", {{"netPremium", 0}, {"spanMargin", total * 0.7},
                                                      {"marginBenefit", 0}, {"deliveryMargin", 0},
                                                      {"nonNFOMargin", 0}, {"totOptionsPremium", 0}}}});
  }

  // ---- market data -----------------------------------------------------------

  json::object quote_row(const Scrip& scrip) const {
    double ltp = price_at(scrip, step), tick = currency(scrip.exch_seg) ? 0.0025 : 0.05;
    json::array buy, sell;
    if (scrip.instrumenttype != "AMXIDX")
      for (int level = 0; level < 5; ++level) {
        buy.push_back(json::object{{"price", ltp - tick * (level + 1)}, {"quantity", 100 * (level + 1)}, {"orders", level + 1}});
        sell.push_back(json::object{{"price", ltp + tick * (level + 1)}, {"quantity", 90 * (level + 1)}, {"orders", level + 2}});
      }
    return {{"exchange", scrip.exch_seg}, {"tradingSymbol", scrip.symbol}, {"symbolToken", scrip.token},
            {"ltp", ltp}, {"open", ltp - 1}, {"high", ltp + 2}, {"low", ltp - 3}, {"close", ltp - 0.5},
            {"lastTradeQty", 7}, {"exchFeedTime", "25-Nov-2024 10:15:00"}, {"exchTradeTime", "25-Nov-2024 10:15:00"},
            {"netChange", 0.5}, {"percentChange", 0.06}, {"avgPrice", ltp - 0.2}, {"tradeVolume", 123456},
            {"opnInterest", scrip.exch_seg == "NFO" ? 987650 : 0}, {"lowerCircuit", ltp * 0.9},
            {"upperCircuit", ltp * 1.1}, {"totBuyQuan", 5000}, {"totSellQuan", 4200}, {"52WeekLow", ltp * 0.7},
            {"52WeekHigh", ltp * 1.3}, {"depth", json::object{{"buy", buy}, {"sell", sell}}}};
  }

  FakeHttpResponse quote(const json::object& body) const {
    if (!one_of(text(body, "mode"), {"FULL", "OHLC", "LTP"})) return refusal("Invalid mode", "AB4009");
    const auto* tokens = body.if_contains("exchangeTokens");
    if (!tokens || !tokens->is_object()) return refusal("Missing exchangeTokens", "AB4008");
    json::array fetched, unfetched;
    std::size_t count = 0;
    for (const auto& [exchange, list] : tokens->as_object()) {
      if (!list.is_array()) return refusal("Invalid exchangeTokens", "AB4008");
      for (const auto& token : list.as_array()) {
        if (!token.is_string()) return refusal("Tokens must be strings", "AB4008");
        ++count;
        auto found = scrips.find({std::string(exchange), std::string(token.get_string())});
        if (found == scrips.end())
          unfetched.push_back(json::object{{"exchange", exchange}, {"symbolToken", token}, {"message", "Invalid Token"},
                                           {"errorCode", "AB4010"}});
        else
          fetched.push_back(quote_row(found->second));
      }
    }
    if (count > 50) return refusal("Maximum 50 tokens allowed per request", "AB4011");
    return success(json::object{{"fetched", fetched}, {"unfetched", unfetched}});
  }

  static int max_days(const std::string& interval) {
    if (interval == "ONE_MINUTE") return 30;
    if (interval == "THREE_MINUTE") return 60;
    if (interval == "FIVE_MINUTE" || interval == "TEN_MINUTE") return 100;
    if (interval == "FIFTEEN_MINUTE" || interval == "THIRTY_MINUTE") return 200;
    if (interval == "ONE_HOUR") return 400;
    if (interval == "ONE_DAY") return 2000;
    return 0;
  }
  static int minutes_of(const std::string& interval) {
    if (interval == "ONE_MINUTE") return 1;
    if (interval == "THREE_MINUTE") return 3;
    if (interval == "FIVE_MINUTE") return 5;
    if (interval == "TEN_MINUTE") return 10;
    if (interval == "FIFTEEN_MINUTE") return 15;
    if (interval == "THIRTY_MINUTE") return 30;
    return 60;
  }

  // Bars on weekdays: 09:15 to 15:29 for intraday intervals, one a day for ONE_DAY.
  FakeHttpResponse candles(const json::object& body, bool open_interest) const {
    auto found = scrips.find({text(body, "exchange"), text(body, "symboltoken")});
    if (found == scrips.end()) return refusal("Invalid symboltoken", "AB4010");
    auto interval = text(body, "interval");
    int limit = max_days(interval);
    if (limit == 0) return refusal("Invalid interval", "AB4012");
    long from_day, to_day;
    int from_minute, to_minute;
    if (!parse_angel_time(text(body, "fromdate"), from_day, from_minute) ||
        !parse_angel_time(text(body, "todate"), to_day, to_minute))
      return refusal("Invalid date format, expected yyyy-MM-dd HH:mm", "AB4013");
    if (to_day < from_day) return refusal("todate is before fromdate", "AB4013");
    if (to_day - from_day >= limit) return refusal("Exceeded the date range limit for " + interval, "AB4014");
    bool daily = interval == "ONE_DAY";
    json::array rows;
    for (long day = from_day; day <= to_day; ++day) {
      auto weekday = std::chrono::weekday(std::chrono::sys_days(std::chrono::days(day))).c_encoding();
      if (weekday == 0 || weekday == 6) continue;
      int first = daily ? 0 : 9 * 60 + 15, last = daily ? 0 : 15 * 60 + 29, step_minutes = daily ? 1 : minutes_of(interval);
      for (int minute = first; minute <= last; minute += step_minutes) {
        if ((day == from_day && !daily && minute < from_minute) || (day == to_day && !daily && minute > to_minute)) continue;
        double price = price_at(found->second, day % 100) + minute / 600.0;
        if (open_interest) rows.push_back(json::object{{"time", iso_ist(day, minute)}, {"oi", 100000 + day % 1000}});
        else rows.push_back(json::array{iso_ist(day, minute), price, price + 1, price - 1, price + 0.5, 1000 + minute});
      }
    }
    return success(rows);
  }

  // ---- SmartStream ---------------------------------------------------------

  int accept(const FakeHttpRequest& request) const {
    if (request.path == kOrderUpdatePath)
      return request.header("authorization") == std::string("Bearer ") + kJwt ? 101 : 401;
    if (request.path != kStreamPath) return 404;
    auto authorization = request.header("authorization");
    bool jwt_ok = authorization == kJwt || authorization == std::string("Bearer ") + kJwt;
    if (!jwt_ok || request.header("x-api-key") != kApiKey || request.header("x-client-code") != kClientCode ||
        request.header("x-feed-token") != kFeedToken)
      return 401;
    return 101;
  }

  void open(const std::shared_ptr<FakeWsPeer>& peer) {
    std::lock_guard lock(mutex);
    if (peer->path() != kOrderUpdatePath) {
      peers[peer];
      return;
    }
    order_peers.insert(peer);
    // Angel's connect acknowledgement: AB00 with an empty order.
    peer->send(false, json::serialize(order_status_message("AB00", json::object{{"orderid", ""}, {"status", ""}})));
  }

  void close(const std::shared_ptr<FakeWsPeer>& peer) {
    std::lock_guard lock(mutex);
    peers.erase(peer);
    order_peers.erase(peer);
  }

  static json::object order_status_message(const std::string& code, json::object order) {
    return {{"user-id", kClientCode}, {"status-code", "200"}, {"order-status", code}, {"error-message", ""},
            {"orderData", std::move(order)}};
  }

  void message(const std::shared_ptr<FakeWsPeer>& peer, bool binary, const std::string& text_frame) {
    std::lock_guard lock(mutex);
    if (binary) return;
    if (order_peers.contains(peer)) {
      if (text_frame == "ping") peer->send(false, "pong");
      return;
    }
    stream_log.push_back(text_frame);
    if (text_frame == "ping") return peer->send(false, "pong");
    boost::system::error_code ec;
    auto request = json::parse(text_frame, ec);
    if (ec || !request.is_object()) return peer->send(false, R"({"errorCode":"E1002","errorMessage":"Invalid Request"})");
    const auto& object = request.as_object();
    auto action = object.if_contains("action");
    const auto* params = object.if_contains("params");
    if (!action || !params || !params->is_object()) return;
    auto mode = static_cast<int>(params->as_object().at("mode").to_number<std::int64_t>());
    for (const auto& list : params->as_object().at("tokenList").as_array()) {
      auto type = static_cast<int>(list.as_object().at("exchangeType").to_number<std::int64_t>());
      for (const auto& token : list.as_object().at("tokens").as_array()) {
        Sub sub{mode, type, std::string(token.as_string())};
        if (action->to_number<std::int64_t>() == 1) peers[peer].insert(sub);
        else peers[peer].erase(sub);
      }
    }
  }

  const Scrip* scrip_of(int type, const std::string& token) const {
    static const std::map<int, std::vector<std::string>> kSegments{
        {1, {"NSE"}}, {2, {"NFO"}}, {3, {"BSE"}}, {4, {"BFO"}}, {5, {"MCX"}}, {13, {"CDS"}}};
    auto segments = kSegments.find(type);
    if (segments == kSegments.end()) return nullptr;
    for (const auto& segment : segments->second)
      if (auto found = scrips.find({segment, token}); found != scrips.end()) return &found->second;
    return nullptr;
  }

  std::string packet(const Sub& sub) const {
    auto [mode, type, token] = sub;
    const Scrip* scrip = scrip_of(type, token);
    double units = type == 13 ? 1e7 : 100.0;
    double ltp = scrip ? price_at(*scrip, step) : 1.0;
    auto scaled = [units](double rupees) { return static_cast<std::int64_t>(std::llround(rupees * units)); };
    std::size_t size = mode == 1 ? 51 : mode == 2 ? 123 : 379;
    std::string out(size, '\0');
    out[0] = static_cast<char>(mode);
    out[1] = static_cast<char>(type);
    std::memcpy(out.data() + 2, token.data(), std::min<std::size_t>(token.size(), 24));
    put(out, 27, step);                         // sequence
    put(out, 35, 1732512900000 + step * 1000);  // exchange time, ms
    put(out, 43, scaled(ltp));
    if (mode == 1) return out;
    put(out, 51, 7);
    put(out, 59, scaled(ltp - 0.2));
    put(out, 67, 123456 + step);
    put_double(out, 75, 5000.0);
    put_double(out, 83, 4200.0);
    put(out, 91, scaled(ltp - 1));
    put(out, 99, scaled(ltp + 2));
    put(out, 107, scaled(ltp - 3));
    put(out, 115, scaled(ltp - 0.5));
    if (mode == 2) return out;
    put(out, 123, 1732512900000 + step * 1000);
    put(out, 131, 987650 + step);  // open interest
    put_double(out, 139, 2.5);     // OI change %, a double
    double tick = type == 13 ? 0.0025 : 0.05;
    for (int level = 0; level < 5; ++level) {
      std::size_t buy = 147 + level * 20, sell = 147 + (level + 5) * 20;
      put16(out, buy, 1);
      put(out, buy + 2, 100 * (level + 1));
      put(out, buy + 10, scaled(ltp - tick * (level + 1)));
      put16(out, buy + 18, static_cast<std::uint16_t>(level + 1));
      put16(out, sell, 0);
      put(out, sell + 2, 90 * (level + 1));
      put(out, sell + 10, scaled(ltp + tick * (level + 1)));
      put16(out, sell + 18, static_cast<std::uint16_t>(level + 2));
    }
    put(out, 347, scaled(ltp * 1.1));
    put(out, 355, scaled(ltp * 0.9));
    put(out, 363, scaled(ltp * 1.3));
    put(out, 371, scaled(ltp * 0.7));
    return out;
  }

  void tick() {
    std::vector<std::pair<std::shared_ptr<FakeWsPeer>, std::string>> frames;
    {
      std::lock_guard lock(mutex);
      // The path moves only when someone hears it: step n is the n-th tick sent.
      bool heard = false;
      for (const auto& [peer, subs] : peers) heard = heard || !subs.empty();
      if (!heard) return;
      ++step;
      for (const auto& [peer, subs] : peers)
        for (const auto& sub : subs) frames.emplace_back(peer, packet(sub));
    }
    for (auto& [peer, frame] : frames) peer->send(true, std::move(frame));
  }
};

SmartApiFake::SmartApiFake() : impl_(std::make_unique<Impl>()) {}
SmartApiFake::~SmartApiFake() { impl_->server.reset(); }

std::string SmartApiFake::api_url() const { return impl_->server->http_url(); }
std::string SmartApiFake::ws_url() const { return impl_->server->ws_url() + kStreamPath; }
std::string SmartApiFake::instruments_url() const { return api_url() + kScripMasterPath; }

std::vector<std::string> SmartApiFake::settings() const {
  return {"--set", "ANGEL_API_URL=" + api_url(), "--set", "ANGEL_WS_URL=" + ws_url(),
          "--set", "ANGEL_INSTRUMENTS_URL=" + instruments_url(), "--set", "ANGEL_ORDER_WS_URL=" + order_updates_url(),
          "--set", std::string("BROKER_API_KEY=") + kApiKey};
}

void SmartApiFake::set_fault(SmartApiFault fault, int slow_ms) {
  std::lock_guard lock(impl_->mutex);
  impl_->fault = fault;
  impl_->slow_ms = slow_ms;
}

void SmartApiFake::reject_next(const std::string& endpoint, const std::string& message, const std::string& errorcode) {
  std::lock_guard lock(impl_->mutex);
  impl_->rejections[endpoint] = {message, errorcode};
}

void SmartApiFake::delay_next(const std::string& endpoint, int delay_ms) {
  std::lock_guard lock(impl_->mutex);
  impl_->delays[endpoint] = delay_ms;
}

void SmartApiFake::fail_instruments(bool fail) {
  std::lock_guard lock(impl_->mutex);
  impl_->instruments_fail = fail;
}

std::vector<SmartApiRequest> SmartApiFake::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

std::vector<SmartApiRequest> SmartApiFake::requests_to(const std::string& endpoint) const {
  std::vector<SmartApiRequest> out;
  for (auto& request : requests())
    if (request.path.ends_with(endpoint) || request.path.ends_with(endpoint + "/")) out.push_back(request);
  return out;
}

std::vector<std::string> SmartApiFake::stream_messages() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->stream_log;
}

std::size_t SmartApiFake::stream_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->peers.size();
}

void SmartApiFake::drop_feed() {
  std::vector<std::shared_ptr<FakeWsPeer>> dropping;
  {
    std::lock_guard lock(impl_->mutex);
    for (const auto& [peer, subs] : impl_->peers) dropping.push_back(peer);
  }
  for (const auto& peer : dropping) peer->drop();
}

void SmartApiFake::tick() { impl_->tick(); }

std::string SmartApiFake::order_updates_url() const { return impl_->server->ws_url() + kOrderUpdatePath; }

std::size_t SmartApiFake::order_update_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->order_peers.size();
}

std::size_t SmartApiFake::send_order_update(const std::string& orderid, const std::string& code,
                                            const std::string& status, long filled, const std::string& text) {
  std::lock_guard lock(impl_->mutex);
  for (const auto& row : impl_->orders) {
    if (row.as_object().at("orderid") != orderid.c_str()) continue;
    json::object order = row.as_object();
    long quantity = std::atol(std::string(order.at("quantity").as_string()).c_str());
    order["status"] = status;
    order["orderstatus"] = status;
    order["filledshares"] = std::to_string(filled);
    order["unfilledshares"] = std::to_string(quantity - filled);
    order["text"] = text;
    if (filled > 0) order["averageprice"] = order.at("price");
    auto frame = json::serialize(Impl::order_status_message(code, std::move(order)));
    for (const auto& peer : impl_->order_peers) peer->send(false, frame);
    return impl_->order_peers.size();
  }
  return 0;
}

}  // namespace oa::test
