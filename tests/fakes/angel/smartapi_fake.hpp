#pragma once
// A loopback fake of Angel One's SmartAPI for the Angel plugin's tests: the
// REST API (every SmartAPI header checked, JSON bodies checked field by field
// against SmartAPI's vocabulary and the instrument file, the
// {"status","message","errorcode","data"} envelope for success and for
// errors, HTTP 200 with status:false included), the loginByPassword exchange
// (client code, PIN, a 6-digit TOTP), the instrument file (scrip_master.json,
// a realistic excerpt) and SmartStream v2, whose binary packets come from a
// scripted price path. A wrong mapping fails a test the way Angel would
// refuse it. Fault modes make it fail like Angel can.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace oa::test {

struct SmartApiRequest {
  std::string method, path, body;
  std::map<std::string, std::string> headers;  // lower-case names
};

enum class SmartApiFault {
  None,
  ServerError,   // every REST answer is HTTP 503 with an HTML page, as Angel's gateway sends
  Slow,          // every REST answer comes after `slow_ms`
  Malformed,     // every REST answer is HTTP 200 with a truncated JSON body
  TokenExpired,  // every authorised request is refused: HTTP 401, AG8002 "Token Expired"
};

class SmartApiFake {
 public:
  static constexpr const char* kApiKey = "angel-key-1";
  static constexpr const char* kClientCode = "A123456";
  static constexpr const char* kPin = "1234";
  static constexpr const char* kTotp = "123456";
  static constexpr const char* kJwt = "jwt-angel-1";
  static constexpr const char* kFeedToken = "feed-angel-1";

  SmartApiFake();
  ~SmartApiFake();
  SmartApiFake(const SmartApiFake&) = delete;
  SmartApiFake& operator=(const SmartApiFake&) = delete;

  std::string api_url() const;          // http://127.0.0.1:PORT
  std::string ws_url() const;           // ws://127.0.0.1:PORT/smart-stream
  std::string instruments_url() const;  // api_url() + the scrip master's path
  // --set flags pointing the plugin here, with the broker credentials.
  std::vector<std::string> settings() const;

  void set_fault(SmartApiFault fault, int slow_ms = 0);
  // The next request to a path ending in `endpoint` (e.g. "placeOrder") is
  // refused with HTTP 200, status:false and this message and error code.
  void reject_next(const std::string& endpoint, const std::string& message, const std::string& errorcode);
  // The next request to a path ending in `endpoint` is served, but answered only after `delay_ms`.
  void delay_next(const std::string& endpoint, int delay_ms);
  // The instrument file answers HTTP 500 (true) or the committed excerpt (false).
  void fail_instruments(bool fail);

  std::vector<SmartApiRequest> requests() const;
  std::vector<SmartApiRequest> requests_to(const std::string& endpoint) const;  // paths ending in it

  // SmartStream: what clients sent, and the feed.
  std::vector<std::string> stream_messages() const;  // text frames received, in order
  std::size_t stream_connections() const;            // open now
  void drop_feed();                                  // drops every stream connection without a close
  // Sends one step of the price path to every subscribed token, once per mode it is subscribed in.
  void tick();

  // The order-status WebSocket (order_updates_url()): Authorization: Bearer
  // <jwt> checked, the AB00 connect acknowledgement sent on open, "ping"
  // answered with "pong".
  std::string order_updates_url() const;  // ws://127.0.0.1:PORT/smart-order-update
  std::size_t order_update_connections() const;  // open now
  // Sends Angel's order-status message for an order placed here to every
  // order-update connection: `code` (AB01 open ... AB10 trigger pending) and
  // the order with `status`, `filled` shares and `text` (a rejection's reason).
  // Returns how many connections it went to (0 for an unknown order).
  std::size_t send_order_update(const std::string& orderid, const std::string& code, const std::string& status,
                                long filled, const std::string& text = "");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oa::test
