#pragma once
// A loopback fake of Kite Connect v3 for the Zerodha plugin's tests: the REST
// API (X-Kite-Version and Authorization checked, form bodies, Kite's success
// and error envelopes), the token exchange (the checksum verified), the
// instrument file (instruments.csv, a realistic excerpt) and the binary
// ticker, fed from a scripted price path. It checks what it receives against
// Kite's vocabulary and its instrument list, so a wrong mapping fails a test
// with Kite's kind of error. Fault modes make it fail like Kite can.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace oa::test {

struct KiteRequest {
  std::string method, path, query, body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::multimap<std::string, std::string> fields;  // the form body, or the query for GET
};

enum class KiteFault {
  None,
  ServerError,   // every REST answer is HTTP 503 with an HTML page, as a proxy in front of Kite sends
  Slow,          // every REST answer comes after `slow_ms`
  Malformed,     // every REST answer is HTTP 200 with a truncated JSON body
  TokenExpired,  // every authorised request is refused with TokenException (403)
  LateOrders,    // an order is placed at once, but Kite's answer to it comes after `slow_ms`
};

class KiteFake {
 public:
  static constexpr const char* kApiKey = "kite-key-1";
  static constexpr const char* kApiSecret = "kite-secret-1";
  static constexpr const char* kRequestToken = "req-token-1";
  static constexpr const char* kAccessToken = "access-1";
  static constexpr const char* kUserId = "ZR1234";

  KiteFake();
  ~KiteFake();
  KiteFake(const KiteFake&) = delete;
  KiteFake& operator=(const KiteFake&) = delete;

  std::string api_url() const;          // http://127.0.0.1:PORT
  std::string ws_url() const;           // ws://127.0.0.1:PORT
  std::string instruments_url() const;  // api_url() + "/instruments"
  // --set flags pointing the plugin here, with the broker credentials.
  std::vector<std::string> settings() const;

  // The redirect URL registered for the app: the fake's login page (/connect/login) sends the browser
  // there with a request token, as Kite does after the user's login.
  void set_redirect_url(std::string url);
  void set_fault(KiteFault fault, int slow_ms = 0);
  std::vector<KiteRequest> requests() const;
  std::vector<KiteRequest> requests_to(const std::string& method, const std::string& path) const;

  // The ticker: what clients asked for, and the feed.
  std::vector<std::string> ticker_messages() const;  // text frames received, in order
  std::size_t ticker_connections() const;            // open now
  void drop_feed();                                  // closes every ticker connection (code 1006-like)
  // Sends one step of the price path to every subscribed token, in the mode set for it.
  void tick();
  // Kite's order postback ({"type":"order","data":{...}} text frame) for an
  // order placed here, to every open ticker connection: the order with
  // `status`, `filled_quantity` (the rest pending) and `status_message`.
  // Returns how many connections it went to (0 for an unknown order).
  std::size_t send_order_update(const std::string& order_id, const std::string& status, long filled_quantity,
                                const std::string& status_message = "");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oa::test
