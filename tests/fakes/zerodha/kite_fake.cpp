#include "fakes/zerodha/kite_fake.hpp"
#include "fakes/zerodha/ticker_frame.hpp"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <future>
#include <list>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>

#include "net/http_server.hpp"

namespace oa::test {
namespace {

namespace json = boost::json;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// ---------------------------------------------------------------------------
// The instrument file and the price path

struct Listing {
  std::uint32_t token = 0;
  std::string tradingsymbol, exchange, segment;
  double last_price = 0;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) fields.push_back(std::exchange(field, {}));
    else if (c != '\r') field += c;
  }
  fields.push_back(field);
  return fields;
}

std::vector<Listing> parse_listings(const std::string& csv) {
  std::vector<Listing> listings;
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    auto fields = split_csv_line(line);
    if (fields.size() < 12) continue;
    listings.push_back({static_cast<std::uint32_t>(std::stoul(fields[0])), fields[2], fields[11], fields[10],
                        std::stod(fields[4])});
  }
  return listings;
}

std::uint32_t segment_of(std::uint32_t token) { return token & 0xFF; }
bool is_index(std::uint32_t token) { return segment_of(token) == 9; }
double divisor_of(std::uint32_t token) {
  if (segment_of(token) == 3) return 1e7;
  if (segment_of(token) == 6) return 1e4;
  return 100.0;
}

double base_price(const Listing& listing) {
  if (listing.last_price > 0) return listing.last_price;
  if (listing.tradingsymbol == "NIFTY 50") return 24350.5;
  if (listing.tradingsymbol == "NIFTY BANK") return 52010.25;
  if (listing.tradingsymbol == "SENSEX") return 80120.75;
  if (listing.tradingsymbol == "INDIA VIX") return 14.5;
  if (segment_of(listing.token) == 3) return 84.1275;
  if (segment_of(listing.token) == 6) return 89.5;
  return 100.0 + (listing.token >> 8) % 500;
}

// The scripted path: a small saw-tooth around the base, in the instrument's own tick.
double price_at(const Listing& listing, std::uint64_t step) {
  double price = base_price(listing) * (1.0 + 0.0005 * static_cast<double>(step % 7));
  double unit = segment_of(listing.token) == 3 || segment_of(listing.token) == 6 ? 1e4 : 100.0;
  return std::round(price * unit) / unit;
}

// ---------------------------------------------------------------------------
// Kite's envelopes

net::HttpResponse kite_json(int status, json::value body) { return {status, "application/json", json::serialize(body), {}}; }
net::HttpResponse kite_success(json::value data) { return kite_json(200, json::object{{"status", "success"}, {"data", std::move(data)}}); }
net::HttpResponse kite_error(int status, const std::string& type, const std::string& message) {
  return kite_json(status, json::object{{"status", "error"}, {"message", message}, {"data", nullptr}, {"error_type", type}});
}

std::string decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') out += ' ';
    else if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else out += text[i];
  }
  return out;
}

std::multimap<std::string, std::string> parse_form(std::string_view text) {
  std::multimap<std::string, std::string> fields;
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    auto eq = pair.find('=');
    if (!pair.empty()) fields.emplace(decode(pair.substr(0, eq)), eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return fields;
}

std::string first(const std::multimap<std::string, std::string>& fields, const std::string& name) {
  auto found = fields.find(name);
  return found == fields.end() ? std::string() : found->second;
}

std::string sha256_hex(const std::string& text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

int history_limit_days(const std::string& interval) {
  if (interval == "minute") return 60;
  if (interval == "3minute" || interval == "5minute" || interval == "10minute") return 100;
  if (interval == "15minute" || interval == "30minute") return 200;
  if (interval == "60minute") return 400;
  if (interval == "day") return 2000;
  return -1;
}

std::optional<std::chrono::sys_days> parse_day(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

std::string day_text(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return text;
}

// ---------------------------------------------------------------------------
// The ticker's packets

std::string packet(const Listing& listing, const std::string& mode, std::uint64_t step) {
  double divisor = divisor_of(listing.token);
  auto scaled = [divisor](double price) { return static_cast<std::uint32_t>(std::llround(price * divisor)); };
  double ltp = price_at(listing, step);
  std::string out;
  put32(out, listing.token);
  put32(out, scaled(ltp));
  if (mode == "ltp") return out;
  if (is_index(listing.token)) {
    put32(out, scaled(ltp * 1.01));   // high
    put32(out, scaled(ltp * 0.99));   // low
    put32(out, scaled(ltp * 0.995));  // open
    put32(out, scaled(ltp * 0.998));  // close
    put32(out, scaled(ltp * 0.002));  // net change
    if (mode == "full") put32(out, 1732500000 + static_cast<std::uint32_t>(step));
    return out;
  }
  put32(out, 25);                       // last traded quantity
  put32(out, scaled(ltp * 0.999));      // average price
  put32(out, 100000 + static_cast<std::uint32_t>(step) * 10);  // volume
  put32(out, 5000);                     // total buy quantity
  put32(out, 6000);                     // total sell quantity
  put32(out, scaled(ltp * 0.995));      // open
  put32(out, scaled(ltp * 1.01));       // high
  put32(out, scaled(ltp * 0.99));       // low
  put32(out, scaled(ltp * 0.998));      // close
  if (mode != "full") return out;
  put32(out, 1732500000);               // last trade time
  put32(out, 424242);                   // OI
  put32(out, 430000);                   // OI day high
  put32(out, 420000);                   // OI day low
  put32(out, 1732500000 + static_cast<std::uint32_t>(step));  // exchange timestamp
  for (int level = 0; level < 10; ++level) {
    bool bid = level < 5;
    int depth = bid ? level : level - 5;
    put32(out, 100 * (depth + 1));
    put32(out, scaled(bid ? ltp - 0.05 * (depth + 1) : ltp + 0.05 * (depth + 1)));
    put16(out, static_cast<std::uint16_t>(depth + 1));
    put16(out, 0);
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------

struct KiteFake::Impl {
  std::vector<Listing> listings = parse_listings(read_file(KITE_FAKE_INSTRUMENTS_CSV));
  std::string instruments_csv = read_file(KITE_FAKE_INSTRUMENTS_CSV);
  std::unique_ptr<net::HttpServer> http;
  std::uint16_t http_port = 0;

  mutable std::mutex mutex;
  KiteFault fault = KiteFault::None;
  std::string redirect_url;  // the app's, as registered with Kite; where /connect/login sends the browser
  int slow_ms = 0;
  std::vector<KiteRequest> requests;
  json::array orders;
  std::uint64_t next_order = 1;
  json::array triggers;  // GTT
  std::int64_t next_trigger = 100001;
  std::atomic<std::uint64_t> step{0};

  // Ticker
  struct Session : std::enable_shared_from_this<Session> {
    Impl* owner;
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    beast::http::request<beast::http::string_body> upgrade;
    std::map<std::uint32_t, std::string> modes;  // token -> ltp|quote|full
    std::deque<std::pair<bool, std::shared_ptr<const std::string>>> outbox;  // (binary, frame)
    bool open = false;
    Session(Impl* impl, tcp::socket socket) : owner(impl), ws(std::move(socket)) {}
  };
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::uint16_t ws_port = 0;
  std::list<std::shared_ptr<Session>> sessions;  // io thread only
  std::vector<std::string> ticker_messages;      // under mutex
  std::atomic<std::size_t> open_sessions{0};
  asio::steady_timer heartbeat{io};
  std::thread io_thread;

  const Listing* listing(std::uint32_t token) const {
    for (const auto& l : listings)
      if (l.token == token) return &l;
    return nullptr;
  }
  const Listing* listing(const std::string& exchange, const std::string& tradingsymbol) const {
    for (const auto& l : listings)
      if (l.exchange == exchange && l.tradingsymbol == tradingsymbol) return &l;
    return nullptr;
  }

  // --- REST ---------------------------------------------------------------

  net::HttpResponse handle(net::HttpRequest& request) {
    KiteRequest seen{request.method, request.path, request.query, request.body, {}, {}};
    for (const auto& [name, value] : request.headers) seen.headers[name] = value;
    seen.fields = parse_form(request.method == "GET" ? request.query : request.body);
    KiteFault current;
    int delay;
    {
      std::lock_guard lock(mutex);
      requests.push_back(seen);
      current = fault;
      delay = slow_ms;
    }
    if (current == KiteFault::ServerError)
      return {503, "text/html", "<html><body>503 Service Temporarily Unavailable</body></html>", {}};
    if (current == KiteFault::Slow) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    if (current == KiteFault::Malformed) return {200, "application/json", R"({"status":"success","data":{"ord)", {}};
    if (request.method == "GET" && request.path == "/connect/login") return login_page(seen);
    if (request.header("x-kite-version") != "3") return kite_error(400, "InputException", "X-Kite-Version must be 3");
    if (request.method == "POST" && request.path == "/session/token") return session_token(seen);
    if (request.method == "GET" && request.path == "/instruments") return {200, "text/csv", instruments_csv, {}};
    if (request.header("authorization") != std::string("token ") + kApiKey + ":" + kAccessToken)
      return kite_error(403, "TokenException", "Incorrect `api_key` or `access_token`.");
    if (current == KiteFault::TokenExpired) return kite_error(403, "TokenException", "Token is invalid or has expired.");
    auto response = route(request, seen);
    if (current == KiteFault::LateOrders && request.path == "/orders/regular")
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    return response;
  }

  // Kite's login page, already past the user's password and TOTP: it redirects to the app's registered
  // redirect URL with a request token and the redirect_params the app asked for, decoded.
  net::HttpResponse login_page(const KiteRequest& seen) {
    std::string target;
    {
      std::lock_guard lock(mutex);
      target = redirect_url;
    }
    if (first(seen.fields, "api_key") != kApiKey || first(seen.fields, "v") != "3")
      return {400, "text/html", "<html><body>Invalid api_key or version</body></html>", {}};
    if (target.empty()) return {400, "text/html", "<html><body>This app has no redirect URL</body></html>", {}};
    std::string location = target + "?request_token=" + kRequestToken + "&action=login&status=success";
    if (auto params = first(seen.fields, "redirect_params"); !params.empty()) location += "&" + params;
    return {302, "text/html", "", {{"Location", location}}};
  }

  net::HttpResponse session_token(const KiteRequest& seen) {
    if (first(seen.fields, "api_key") != kApiKey) return kite_error(403, "TokenException", "Invalid `api_key`.");
    if (first(seen.fields, "request_token") != kRequestToken)
      return kite_error(403, "TokenException", "Token is invalid or has expired.");
    if (first(seen.fields, "checksum") != sha256_hex(std::string(kApiKey) + kRequestToken + kApiSecret))
      return kite_error(403, "TokenException", "Invalid `checksum`.");
    return kite_success(json::object{{"user_id", kUserId}, {"user_name", "Fake Trader"}, {"access_token", kAccessToken},
                                     {"public_token", "pub-1"}, {"login_time", "2024-11-25 09:00:00"}});
  }

  net::HttpResponse route(const net::HttpRequest& request, const KiteRequest& seen) {
    const auto& path = request.path;
    if (request.method == "POST" && path == "/orders/regular") return place(seen);
    if ((request.method == "PUT" || request.method == "DELETE") && path.starts_with("/orders/regular/"))
      return amend(request.method, path.substr(16), seen);
    if (request.method == "GET" && path == "/orders") return orders_book();
    if (request.method == "GET" && path == "/trades") return trades();
    if (request.method == "GET" && path == "/portfolio/positions") return positions();
    if (request.method == "GET" && path == "/portfolio/holdings") return holdings();
    if (request.method == "GET" && path == "/user/margins") return margins();
    if (request.method == "GET" && path == "/quote") return quote(seen);
    if (request.method == "POST" && (path == "/margins/orders" || path == "/margins/basket")) return margins_for(request);
    if (request.method == "GET" && path.starts_with("/instruments/historical/")) return historical(path, seen);
    if (request.method == "POST" && path == "/gtt/triggers") return place_trigger(seen);
    if ((request.method == "PUT" || request.method == "DELETE") && path.starts_with("/gtt/triggers/"))
      return amend_trigger(request.method, path.substr(14), seen);
    if (request.method == "GET" && path == "/gtt/triggers") return triggers_book();
    return kite_error(404, "GeneralException", "Route not found");
  }

  // --- GTT triggers ---------------------------------------------------------

  // Kite's checks on a trigger's type, condition and orders (JSON in form fields).
  std::optional<std::string> invalid_trigger(const KiteRequest& seen, json::object& condition, json::array& orders) const {
    auto type = first(seen.fields, "type");
    if (type != "single" && type != "two-leg") return "Invalid `type`.";
    boost::system::error_code ec;
    auto parsed_condition = json::parse(first(seen.fields, "condition"), ec);
    if (ec || !parsed_condition.is_object()) return "Invalid `condition`.";
    condition = parsed_condition.as_object();
    auto parsed_orders = json::parse(first(seen.fields, "orders"), ec);
    if (ec || !parsed_orders.is_array()) return "Invalid `orders`.";
    orders = parsed_orders.as_array();
    const auto* exchange = condition.if_contains("exchange");
    const auto* symbol = condition.if_contains("tradingsymbol");
    if (!exchange || !exchange->is_string() || !symbol || !symbol->is_string() ||
        !listing(std::string(exchange->as_string()), std::string(symbol->as_string())))
      return "Invalid `tradingsymbol`.";
    const auto* values = condition.if_contains("trigger_values");
    std::size_t legs = type == "single" ? 1 : 2;
    if (!values || !values->is_array() || values->as_array().size() != legs) return "Invalid `trigger_values`.";
    for (const auto& value : values->as_array())
      if (!value.is_number() || value.to_number<double>() <= 0) return "Invalid `trigger_values`.";
    if (legs == 2 && values->as_array()[0].to_number<double>() >= values->as_array()[1].to_number<double>())
      return "Invalid `trigger_values`: the lower trigger comes first.";
    const auto* last = condition.if_contains("last_price");
    if (!last || !last->is_number() || last->to_number<double>() <= 0) return "Invalid `last_price`.";
    if (orders.size() != legs) return "Invalid `orders`: one order per trigger value.";
    static const std::set<std::string> order_types{"LIMIT", "MARKET"}, products{"CNC", "NRML", "MIS"};
    for (const auto& order : orders) {
      if (!order.is_object()) return "Invalid `orders`.";
      const auto& o = order.as_object();
      auto field = [&o](const char* key) {
        const auto* value = o.if_contains(key);
        return value && value->is_string() ? std::string(value->as_string()) : std::string();
      };
      if (field("exchange") != exchange->as_string() || field("tradingsymbol") != symbol->as_string())
        return "Invalid `orders`: the order's instrument differs from the condition's.";
      if (field("transaction_type") != "BUY" && field("transaction_type") != "SELL") return "Invalid `transaction_type`.";
      if (!order_types.contains(field("order_type"))) return "Invalid `order_type`.";
      if (!products.contains(field("product"))) return "Invalid `product`.";
      const auto* quantity = o.if_contains("quantity");
      if (!quantity || !quantity->is_int64() || quantity->as_int64() <= 0) return "Invalid `quantity`.";
      const auto* price = o.if_contains("price");
      if (!price || !price->is_number()) return "Invalid `price`.";
    }
    return std::nullopt;
  }

  net::HttpResponse place_trigger(const KiteRequest& seen) {
    json::object condition;
    json::array legs;
    if (auto problem = invalid_trigger(seen, condition, legs)) return kite_error(400, "InputException", *problem);
    std::lock_guard lock(mutex);
    auto id = next_trigger++;
    triggers.push_back(json::object{{"id", id},
                                    {"user_id", kUserId},
                                    {"type", first(seen.fields, "type")},
                                    {"status", "active"},
                                    {"condition", std::move(condition)},
                                    {"orders", std::move(legs)},
                                    {"created_at", "2024-11-25 10:20:00"},
                                    {"updated_at", "2024-11-25 10:20:00"},
                                    {"expires_at", "2025-11-25 10:20:00"}});
    return kite_success(json::object{{"trigger_id", id}});
  }

  net::HttpResponse amend_trigger(const std::string& method, const std::string& id, const KiteRequest& seen) {
    json::object condition;
    json::array legs;
    if (method == "PUT")
      if (auto problem = invalid_trigger(seen, condition, legs)) return kite_error(400, "InputException", *problem);
    std::lock_guard lock(mutex);
    for (auto& trigger : triggers) {
      auto& row = trigger.as_object();
      if (std::to_string(row.at("id").as_int64()) != id) continue;
      if (row.at("status") != "active") return kite_error(400, "InputException", "Trigger is not active.");
      if (method == "DELETE") row["status"] = "deleted";
      else {
        row["type"] = first(seen.fields, "type");
        row["condition"] = std::move(condition);
        row["orders"] = std::move(legs);
        row["updated_at"] = "2024-11-25 10:25:00";
      }
      return kite_success(json::object{{"trigger_id", row.at("id")}});
    }
    return kite_error(404, "DataException", "Trigger not found.");
  }

  net::HttpResponse triggers_book() {
    std::lock_guard lock(mutex);
    json::array book = triggers;
    // One that already fired: gttorderbook lists only active triggers.
    book.push_back(json::object{
        {"id", 90001}, {"user_id", kUserId}, {"type", "single"}, {"status", "triggered"},
        {"condition", json::object{{"exchange", "NSE"}, {"tradingsymbol", "INFY"}, {"trigger_values", json::array{1800.0}},
                                   {"last_price", 1850.0}}},
        {"orders", json::array{json::object{{"exchange", "NSE"}, {"tradingsymbol", "INFY"}, {"transaction_type", "BUY"},
                                            {"quantity", 1}, {"order_type", "LIMIT"}, {"product", "CNC"},
                                            {"price", 1801.0}}}},
        {"created_at", "2024-11-20 10:00:00"}, {"updated_at", "2024-11-22 11:00:00"}, {"expires_at", "2025-11-20 10:00:00"}});
    return kite_success(book);
  }

  static std::optional<std::string> invalid_order_field(const KiteRequest& seen, bool placing) {
    static const std::set<std::string> order_types{"MARKET", "LIMIT", "SL", "SL-M"}, products{"CNC", "NRML", "MIS"},
        validities{"DAY", "IOC", "TTL"}, exchanges{"NSE", "BSE", "NFO", "BFO", "CDS", "BCD", "MCX"};
    if (!order_types.contains(first(seen.fields, "order_type"))) return "Invalid `order_type`.";
    if (!validities.contains(first(seen.fields, "validity"))) return "Invalid `validity`.";
    auto quantity = first(seen.fields, "quantity");
    if (quantity.empty() || quantity.find_first_not_of("0123456789") != std::string::npos || std::stol(quantity) <= 0)
      return "Invalid `quantity`.";
    if (!placing) return std::nullopt;
    if (!exchanges.contains(first(seen.fields, "exchange"))) return "Invalid `exchange`.";
    if (!products.contains(first(seen.fields, "product"))) return "Invalid `product`.";
    auto side = first(seen.fields, "transaction_type");
    if (side != "BUY" && side != "SELL") return "Invalid `transaction_type`.";
    return std::nullopt;
  }

  net::HttpResponse place(const KiteRequest& seen) {
    if (auto problem = invalid_order_field(seen, true)) return kite_error(400, "InputException", *problem);
    auto exchange = first(seen.fields, "exchange");
    auto symbol = first(seen.fields, "tradingsymbol");
    if (!listing(exchange, symbol)) return kite_error(400, "InputException", "Invalid `tradingsymbol`.");
    if (first(seen.fields, "product") == "CNC" && exchange == "NFO")
      return kite_error(400, "InputException", "CNC is not allowed for F&O; use NRML or MIS.");
    if (std::stol(first(seen.fields, "quantity")) > 100000)
      return kite_error(400, "MarginException", "Insufficient funds. Required margin is 95000000.00 but available margin is 120000.00.");
    std::lock_guard lock(mutex);
    auto id = "2411250000" + std::to_string(10000 + next_order++);
    auto type = first(seen.fields, "order_type");
    orders.push_back(json::object{{"order_id", id},
                                  {"tradingsymbol", symbol},
                                  {"exchange", exchange},
                                  {"transaction_type", first(seen.fields, "transaction_type")},
                                  {"order_type", type},
                                  {"product", first(seen.fields, "product")},
                                  {"quantity", std::stol(first(seen.fields, "quantity"))},
                                  {"price", std::stod("0" + first(seen.fields, "price"))},
                                  {"trigger_price", std::stod("0" + first(seen.fields, "trigger_price"))},
                                  {"average_price", type == "MARKET" ? 812.4 : 0.0},
                                  {"status", type == "MARKET" ? "COMPLETE" : "OPEN"},
                                  {"order_timestamp", "2024-11-25 10:15:00"},
                                  {"tag", first(seen.fields, "tag")}});
    return kite_success(json::object{{"order_id", id}});
  }

  net::HttpResponse amend(const std::string& method, const std::string& id, const KiteRequest& seen) {
    if (method == "PUT")
      if (auto problem = invalid_order_field(seen, false)) return kite_error(400, "InputException", *problem);
    std::lock_guard lock(mutex);
    for (auto& order : orders) {
      auto& row = order.as_object();
      if (row.at("order_id").as_string() != id) continue;
      if (row.at("status") == "COMPLETE" || row.at("status") == "CANCELLED")
        return kite_error(400, "OrderException", "Order cannot be modified as it is being processed or is complete.");
      if (method == "DELETE") row["status"] = "CANCELLED";
      else {
        row["quantity"] = std::stol(first(seen.fields, "quantity"));
        row["price"] = std::stod("0" + first(seen.fields, "price"));
        row["order_type"] = first(seen.fields, "order_type");
      }
      return kite_success(json::object{{"order_id", id}});
    }
    return kite_error(400, "InputException", "Couldn't find that `order_id`.");
  }

  net::HttpResponse orders_book() {
    std::lock_guard lock(mutex);
    json::array book = orders;
    // Kite's in-flight states, which OpenAlgo leaves unmapped.
    book.push_back(json::object{{"order_id", "241125000009001"}, {"tradingsymbol", "INFY"}, {"exchange", "NSE"},
                                {"transaction_type", "SELL"}, {"order_type", "LIMIT"}, {"product", "CNC"},
                                {"quantity", 3}, {"price", 1900.0}, {"trigger_price", 0}, {"average_price", 0},
                                {"status", "VALIDATION PENDING"}, {"order_timestamp", "2024-11-25 09:14:00"}});
    book.push_back(json::object{{"order_id", "241125000009002"}, {"tradingsymbol", "NIFTY24D0524000CE"},
                                {"exchange", "NFO"}, {"transaction_type", "BUY"}, {"order_type", "SL"},
                                {"product", "NRML"}, {"quantity", 25}, {"price", 120.5}, {"trigger_price", 120.0},
                                {"average_price", 0}, {"status", "AMO REQ RECEIVED"},
                                {"order_timestamp", "2024-11-25 08:59:00"}});
    return kite_success(book);
  }

  net::HttpResponse trades() {
    std::lock_guard lock(mutex);
    json::array rows;
    for (const auto& order : orders) {
      const auto& row = order.as_object();
      if (row.at("status") != "COMPLETE") continue;
      rows.push_back(json::object{{"trade_id", "T" + std::string(row.at("order_id").as_string())},
                                  {"order_id", row.at("order_id")}, {"tradingsymbol", row.at("tradingsymbol")},
                                  {"exchange", row.at("exchange")}, {"transaction_type", row.at("transaction_type")},
                                  {"product", row.at("product")}, {"quantity", row.at("quantity")},
                                  {"average_price", row.at("average_price")},
                                  {"fill_timestamp", "2024-11-25 10:15:01"}, {"order_timestamp", "10:15:00"}});
    }
    return kite_success(rows);
  }

  static net::HttpResponse positions() {
    json::array net{
        json::object{{"tradingsymbol", "SBIN"}, {"exchange", "NSE"}, {"product", "MIS"}, {"quantity", 10},
                     {"average_price", 800.0}, {"last_price", 812.4}, {"pnl", 124.0}, {"buy_value", 8000.0},
                     {"sell_value", 0.0}},
        json::object{{"tradingsymbol", "INFY"}, {"exchange", "NSE"}, {"product", "MIS"}, {"quantity", 0},
                     {"average_price", 0.0}, {"last_price", 1894.5}, {"pnl", 100.0}, {"buy_value", 18000.0},
                     {"sell_value", 18100.0}},
        json::object{{"tradingsymbol", "NIFTY24DECFUT"}, {"exchange", "NFO"}, {"product", "NRML"}, {"quantity", -25},
                     {"average_price", 24400.0}, {"last_price", 24350.0}, {"pnl", 1250.0}, {"buy_value", 0.0},
                     {"sell_value", 610000.0}}};
    return kite_success(json::object{{"net", net}, {"day", json::array{}}});
  }

  static net::HttpResponse holdings() {
    return kite_success(json::array{json::object{{"tradingsymbol", "RELIANCE"}, {"exchange", "NSE"}, {"quantity", 5},
                                                 {"average_price", 1200.0}, {"last_price", 1296.35}, {"pnl", 481.75},
                                                 {"product", "CNC"}}});
  }

  static net::HttpResponse margins() {
    auto segment = [](double net, double collateral, double debits) {
      return json::object{{"enabled", true}, {"net", net},
                          {"available", json::object{{"cash", 0.0}, {"collateral", collateral}, {"live_balance", net}}},
                          {"utilised", json::object{{"debits", debits}}}};
    };
    return kite_success(json::object{{"equity", segment(100000.0, 5000.0, 2500.0)},
                                     {"commodity", segment(20000.0, 0.0, 0.0)}});
  }

  // Kite's calculators take a JSON array of orders. The fake's figures: F&O
  // and currency span 9% and exposure 3% of the order's value, equity MIS 20%,
  // CNC the full value; a basket holding both sides gets 20% off the span.
  net::HttpResponse margins_for(const net::HttpRequest& request) {
    if (!request.header("content-type").starts_with("application/json"))
      return kite_error(400, "InputException", "The margin calculators take a JSON body.");
    boost::system::error_code ec;
    auto body = json::parse(request.body, ec);
    if (ec || !body.is_array() || body.as_array().empty()) return kite_error(400, "InputException", "Invalid orders.");
    double span = 0, exposure = 0, total = 0;
    std::set<std::string> sides;
    json::array per_order;
    for (const auto& entry : body.as_array()) {
      const auto* order = entry.if_object();
      if (!order || !order->contains("variety") || order->at("variety") != "regular")
        return kite_error(400, "InputException", "Invalid `variety`.");
      auto text = [order](const char* key) {
        const auto* value = order->if_contains(key);
        return value && value->is_string() ? std::string(value->get_string()) : std::string();
      };
      const auto* l = listing(text("exchange"), text("tradingsymbol"));
      if (!l) return kite_error(400, "InputException", "Invalid `tradingsymbol`.");
      if (!order->at("quantity").is_int64() || order->at("quantity").as_int64() <= 0)
        return kite_error(400, "InputException", "Invalid `quantity`.");
      sides.insert(text("transaction_type"));
      double value = order->at("price").to_number<double>() * static_cast<double>(order->at("quantity").as_int64());
      bool derivative = segment_of(l->token) != 1 && segment_of(l->token) != 4;
      double order_span = derivative ? 0.09 * value : 0, order_exposure = derivative ? 0.03 * value : 0;
      double order_total = derivative ? order_span + order_exposure : (text("product") == "CNC" ? value : 0.2 * value);
      span += order_span, exposure += order_exposure, total += order_total;
      per_order.push_back(json::object{{"tradingsymbol", l->tradingsymbol}, {"span", order_span},
                                       {"exposure", order_exposure}, {"total", order_total}});
    }
    if (request.path == "/margins/orders") return kite_success(per_order);
    double benefit = sides.size() == 2 ? 0.2 * span : 0;
    auto figures = [](double s, double e, double t) { return json::object{{"span", s}, {"exposure", e}, {"total", t}}; };
    return kite_success(json::object{{"initial", figures(span, exposure, total)},
                                     {"final", figures(span - benefit, exposure, total - benefit)},
                                     {"orders", per_order}});
  }

  net::HttpResponse quote(const KiteRequest& seen) {
    auto keys = seen.fields.equal_range("i");
    if (std::distance(keys.first, keys.second) > 500)
      return kite_error(400, "InputException", "Too many instruments: a request takes at most 500.");
    json::object data;
    std::uint64_t now = step.load();
    for (auto it = keys.first; it != keys.second; ++it) {
      auto colon = it->second.find(':');
      if (colon == std::string::npos) return kite_error(400, "InputException", "Invalid instrument `" + it->second + "`.");
      const auto* l = listing(it->second.substr(0, colon), it->second.substr(colon + 1));
      if (!l) continue;  // Kite leaves unknown instruments out of its answer
      double ltp = price_at(*l, now);
      json::array buy, sell;
      for (int level = 1; level <= 5; ++level) {
        buy.push_back(json::object{{"price", ltp - 0.05 * level}, {"quantity", 100 * level}, {"orders", level}});
        sell.push_back(json::object{{"price", ltp + 0.05 * level}, {"quantity", 110 * level}, {"orders", level}});
      }
      data[it->second] = json::object{{"instrument_token", l->token}, {"timestamp", "2024-11-25 10:15:00"},
                                      {"last_price", ltp}, {"last_quantity", 25}, {"average_price", ltp * 0.999},
                                      {"volume", 123456}, {"buy_quantity", 5000}, {"sell_quantity", 6000},
                                      {"oi", segment_of(l->token) == 2 ? 424242 : 0},
                                      {"ohlc", json::object{{"open", ltp * 0.995}, {"high", ltp * 1.01},
                                                            {"low", ltp * 0.99}, {"close", ltp * 0.998}}},
                                      {"depth", json::object{{"buy", buy}, {"sell", sell}}}};
    }
    return kite_success(data);
  }

  net::HttpResponse historical(const std::string& path, const KiteRequest& seen) {
    auto rest = path.substr(std::string("/instruments/historical/").size());
    auto slash = rest.find('/');
    if (slash == std::string::npos) return kite_error(400, "InputException", "Invalid URL.");
    const auto* l = listing(static_cast<std::uint32_t>(std::stoul("0" + rest.substr(0, slash))));
    if (!l) return kite_error(400, "InputException", "Invalid `instrument_token`.");
    auto interval = rest.substr(slash + 1);
    int limit = history_limit_days(interval);
    if (limit < 0) return kite_error(400, "InputException", "Invalid interval.");
    auto from_text = first(seen.fields, "from"), to_text = first(seen.fields, "to");
    auto from = parse_day(from_text), to = parse_day(to_text);
    if (!from || !to || from_text.size() != 19 || to_text.size() != 19)
      return kite_error(400, "InputException", "Invalid `from` or `to` date.");
    if ((*to - *from).count() + 1 > limit)
      return kite_error(400, "InputException", "interval exceeds max limit: " + std::to_string(limit) + " days");
    json::array candles;
    std::uint64_t n = 0;
    for (auto day = *from; day <= *to; day += std::chrono::days(1)) {
      std::chrono::weekday weekday(day);
      if (weekday == std::chrono::Saturday || weekday == std::chrono::Sunday) continue;
      auto bar = [&](const std::string& clock) {
        double price = price_at(*l, n++);
        candles.push_back(json::array{day_text(day) + "T" + clock + "+0530", price * 0.999, price * 1.002,
                                      price * 0.997, price, 1000 + n, segment_of(l->token) == 2 ? 4242 : 0});
      };
      if (interval == "day") bar("00:00:00");
      else {
        bar("09:15:00");
        bar("15:15:00");
      }
    }
    return kite_success(json::object{{"candles", candles}});
  }

  // --- Ticker -------------------------------------------------------------

  void start_ticker() {
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
    ws_port = acceptor.local_endpoint().port();
    accept();
    beat();
    io_thread = std::thread([this] { io.run(); });
  }

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto session = std::make_shared<Session>(this, std::move(socket));
      beast::http::async_read(session->ws.next_layer(), session->buffer, session->upgrade,
                              [this, session](beast::error_code read_ec, std::size_t) { on_upgrade(session, read_ec); });
      accept();
    });
  }

  void on_upgrade(const std::shared_ptr<Session>& session, beast::error_code ec) {
    if (ec) return;
    auto query = parse_form(std::string_view(session->upgrade.target()).substr(
        std::min(session->upgrade.target().size(), std::string_view(session->upgrade.target()).find('?') + 1)));
    if (first(query, "api_key") != kApiKey || first(query, "access_token") != kAccessToken) {
      auto response = std::make_shared<beast::http::response<beast::http::string_body>>(beast::http::status::forbidden, 11);
      response->body() = "Forbidden";
      response->prepare_payload();
      beast::http::async_write(session->ws.next_layer(), *response, [session, response](beast::error_code, std::size_t) {
        beast::error_code ignored;
        session->ws.next_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
      });
      return;
    }
    session->ws.async_accept(session->upgrade, [this, session](beast::error_code accept_ec) {
      if (accept_ec) return;
      session->open = true;
      sessions.push_back(session);
      ++open_sessions;
      read(session);
    });
  }

  void read(const std::shared_ptr<Session>& session) {
    session->buffer.clear();
    session->ws.async_read(session->buffer, [this, session](beast::error_code ec, std::size_t) {
      if (ec) return close(session);
      auto text = beast::buffers_to_string(session->buffer.data());
      {
        std::lock_guard lock(mutex);
        ticker_messages.push_back(text);
      }
      on_client_message(session, text);
      read(session);
    });
  }

  void on_client_message(const std::shared_ptr<Session>& session, const std::string& text) {
    boost::system::error_code ec;
    auto message = json::parse(text, ec);
    if (ec || !message.is_object()) return;
    const auto& object = message.as_object();
    const auto* action = object.if_contains("a");
    const auto* value = object.if_contains("v");
    if (!action || !action->is_string() || !value || !value->is_array()) return;
    const auto& items = value->as_array();
    if (*action == "subscribe" || *action == "unsubscribe") {
      for (const auto& token : items)
        if (token.is_int64()) {
          auto t = static_cast<std::uint32_t>(token.as_int64());
          if (*action == "subscribe") session->modes.emplace(t, "quote");  // Kite's default mode
          else session->modes.erase(t);
        }
      return;
    }
    if (*action != "mode" || items.size() != 2 || !items[0].is_string() || !items[1].is_array()) return;
    std::vector<std::string> packets;
    for (const auto& token : items[1].as_array()) {
      if (!token.is_int64()) continue;
      auto t = static_cast<std::uint32_t>(token.as_int64());
      if (!session->modes.contains(t)) continue;
      session->modes[t] = std::string(items[0].as_string());
      if (const auto* l = listing(t)) packets.push_back(packet(*l, session->modes[t], step.load()));
    }
    if (!packets.empty()) send(session, ticker_frame(packets));
  }

  void send(const std::shared_ptr<Session>& session, std::string frame, bool binary = true) {
    if (!session->open) return;
    session->outbox.emplace_back(binary, std::make_shared<const std::string>(std::move(frame)));
    if (session->outbox.size() == 1) write(session);
  }

  void write(const std::shared_ptr<Session>& session) {
    auto [binary, next] = session->outbox.front();
    session->ws.binary(binary);
    session->ws.async_write(asio::buffer(*next), [this, session, next](beast::error_code ec, std::size_t) {
      if (ec) return close(session);
      session->outbox.pop_front();
      if (!session->outbox.empty()) write(session);
    });
  }

  void close(const std::shared_ptr<Session>& session) {
    if (!session->open) return;
    session->open = false;
    --open_sessions;
    sessions.remove(session);
    beast::error_code ignored;
    beast::get_lowest_layer(session->ws).socket().close(ignored);
  }

  // Every 500 ms: a 1-byte heartbeat to idle connections, the next price step to the others.
  void beat() {
    heartbeat.expires_after(std::chrono::milliseconds(500));
    heartbeat.async_wait([this](beast::error_code ec) {
      if (ec) return;
      push_step();
      beat();
    });
  }

  void push_step() {
    auto now = ++step;
    for (auto& session : std::list<std::shared_ptr<Session>>(sessions)) {
      std::vector<std::string> packets;
      for (const auto& [token, mode] : session->modes)
        if (const auto* l = listing(token)) packets.push_back(packet(*l, mode, now));
      send(session, packets.empty() ? std::string(1, '\0') : ticker_frame(packets));
    }
  }
};

KiteFake::KiteFake() : impl_(std::make_unique<Impl>()) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
  net::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 4;
  options.max_body_bytes = 1 << 20;
  impl_->http = std::make_unique<net::HttpServer>(options, [this](net::HttpRequest&& request, net::Responder respond) {
    respond(impl_->handle(request));
  });
  impl_->http_port = impl_->http->start();
  impl_->start_ticker();
}

KiteFake::~KiteFake() {
  impl_->http->stop(std::chrono::milliseconds(100));
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->heartbeat.cancel();
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    for (auto& session : std::list<std::shared_ptr<Impl::Session>>(impl->sessions)) impl->close(session);
    impl->io.stop();
  });
  impl_->io_thread.join();
}

std::string KiteFake::api_url() const { return "http://127.0.0.1:" + std::to_string(impl_->http_port); }
std::string KiteFake::ws_url() const { return "ws://127.0.0.1:" + std::to_string(impl_->ws_port); }
std::string KiteFake::instruments_url() const { return api_url() + "/instruments"; }

std::vector<std::string> KiteFake::settings() const {
  return {"--set", "ZERODHA_API_URL=" + api_url(),
          "--set", "ZERODHA_WS_URL=" + ws_url(),
          "--set", "ZERODHA_INSTRUMENTS_URL=" + instruments_url(),
          "--set", "ZERODHA_LOGIN_URL=" + api_url() + "/connect/login",
          "--set", std::string("BROKER_API_KEY=") + kApiKey,
          "--set", std::string("BROKER_API_SECRET=") + kApiSecret};
}

void KiteFake::set_redirect_url(std::string url) {
  std::lock_guard lock(impl_->mutex);
  impl_->redirect_url = std::move(url);
}

void KiteFake::set_fault(KiteFault fault, int slow_ms) {
  std::lock_guard lock(impl_->mutex);
  impl_->fault = fault;
  impl_->slow_ms = slow_ms;
}

std::vector<KiteRequest> KiteFake::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::vector<KiteRequest> KiteFake::requests_to(const std::string& method, const std::string& path) const {
  std::vector<KiteRequest> matching;
  for (auto& request : requests())
    if (request.method == method && request.path == path) matching.push_back(std::move(request));
  return matching;
}

std::vector<std::string> KiteFake::ticker_messages() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->ticker_messages;
}

std::size_t KiteFake::ticker_connections() const { return impl_->open_sessions.load(); }

void KiteFake::drop_feed() {
  asio::post(impl_->io, [impl = impl_.get()] {
    for (auto& session : std::list<std::shared_ptr<Impl::Session>>(impl->sessions)) impl->close(session);
  });
}

std::size_t KiteFake::send_order_update(const std::string& order_id, const std::string& status, long filled_quantity,
                                       const std::string& status_message) {
  json::object order;
  {
    std::lock_guard lock(impl_->mutex);
    for (const auto& row : impl_->orders)
      if (row.as_object().at("order_id") == order_id.c_str()) order = row.as_object();
  }
  if (order.empty()) return 0;
  // The fields of Kite's postback, beside those of the order book row.
  auto quantity = order.at("quantity").as_int64();
  order["status"] = status;
  order["filled_quantity"] = filled_quantity;
  order["pending_quantity"] = quantity - filled_quantity;
  order["cancelled_quantity"] = status == "CANCELLED" ? quantity - filled_quantity : 0;
  order["status_message"] = status_message.empty() ? json::value(nullptr) : json::value(status_message);
  order["variety"] = "regular";
  order["validity"] = "DAY";
  order["account_id"] = kUserId;
  order["placed_by"] = kUserId;
  order["exchange_update_timestamp"] = "2024-11-25 10:15:02";
  auto frame = json::serialize(json::object{{"type", "order"}, {"data", std::move(order)}});
  auto sent = std::make_shared<std::promise<std::size_t>>();
  asio::post(impl_->io, [impl = impl_.get(), frame, sent] {
    std::size_t count = 0;
    for (auto& session : std::list<std::shared_ptr<Impl::Session>>(impl->sessions)) {
      impl->send(session, frame, false);
      ++count;
    }
    sent->set_value(count);
  });
  return sent->get_future().get();
}

void KiteFake::tick() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->push_step(); });
}

}  // namespace oa::test
