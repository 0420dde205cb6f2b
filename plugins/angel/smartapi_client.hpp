// smartapi_client.hpp — SmartAPI's REST conventions in one place: the base
// URL (ANGEL_API_URL), the headers every call carries (X-PrivateKey,
// X-UserType, X-SourceID, the client address headers, the bearer JWT), JSON
// bodies, and the {"status","message","errorcode","data"} envelope turned
// into data or an sdk::Error with Angel's own message — including Angel's
// HTTP 200 with status:false, which OpenAlgo reports as a success
// (brokers.md §3.2 quirk). SmartAPI's published per-endpoint request limits
// are token buckets that refuse at once instead of sleeping.
#pragma once

#include <string>
#include <string_view>

#include "openalgo_plugin.hpp"
#include "openalgo_sdk/token_bucket.hpp"

namespace oa::angel {

namespace json = boost::json;

inline constexpr std::string_view kDefaultApiUrl = "https://apiconnect.angelone.in";

// SmartAPI's rate-limit table (requests per second), one bucket per endpoint.
struct SmartApiLimits {
  sdk::TokenBucket login{"login", 1, 1};
  sdk::TokenBucket place{"order placement", 20, 20};
  sdk::TokenBucket modify{"order modification", 20, 20};
  sdk::TokenBucket cancel{"order cancellation", 20, 20};
  sdk::TokenBucket order_book{"the order book", 1, 1};
  sdk::TokenBucket trade_book{"the trade book", 1, 1};
  sdk::TokenBucket positions{"positions", 1, 1};
  sdk::TokenBucket holdings{"holdings", 1, 1};
  sdk::TokenBucket funds{"funds (getRMS)", 2, 2};
  sdk::TokenBucket quote{"market quotes", 10, 10};
  sdk::TokenBucket candles{"historical candles", 3, 3};
  sdk::TokenBucket oi{"historical open interest", 3, 3};
  sdk::TokenBucket margin{"the margin calculator", 10, 10};
  // The rate-limit table does not list the GTT endpoints: they get the order
  // endpoints' order of magnitude, one bucket for all of them.
  sdk::TokenBucket gtt{"GTT rules", 10, 10};
};

class SmartApiClient {
 public:
  explicit SmartApiClient(sdk::Host& host) : host_(host) {}

  std::string api_url() const { return host_.config_or("ANGEL_API_URL", kDefaultApiUrl); }
  // BROKER_API_KEY (the SmartAPI app's key), or Error(OA_ERR_AUTH) saying to set it.
  std::string api_key() const;

  // One authorised JSON request; `path` starts with '/'. Returns the
  // envelope's "data"; throws sdk::Error with Angel's message.
  json::value request(const sdk::Call& call, sdk::TokenBucket& limit, std::string_view method, std::string_view path,
                      const json::value* body = nullptr) const;
  // The login request: the same headers without a session.
  json::value login(std::string_view path, const json::object& body, std::int64_t deadline_ms) const;

  // The envelope's data, or the error it carries.
  static json::value data_of(const sdk::HttpResponse& response);

  SmartApiLimits& limits() { return limits_; }
  sdk::Host& host() const { return host_; }

 private:
  std::vector<std::pair<std::string, std::string>> headers(std::string_view jwt) const;

  sdk::Host& host_;
  mutable SmartApiLimits limits_;
};

}  // namespace oa::angel
