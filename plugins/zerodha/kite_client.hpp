// kite_client.hpp — Kite Connect's REST conventions in one place: the base
// URL (ZERODHA_API_URL), the X-Kite-Version and Authorization headers, form
// bodies, the {"status","data"} / {"status":"error","message","error_type"}
// envelopes turned into data or an sdk::Error with Kite's own message, and
// Kite's per-endpoint request limits as token buckets.
#pragma once

#include <string>
#include <string_view>

#include "openalgo_plugin.hpp"
#include "openalgo_sdk/form.hpp"
#include "openalgo_sdk/token_bucket.hpp"

namespace oa::zerodha {

namespace json = boost::json;

inline constexpr std::string_view kDefaultApiUrl = "https://api.kite.trade";

// Kite's published limits (requests per second), one bucket per family.
struct KiteLimits {
  sdk::TokenBucket quote{"quotes", 1, 1};
  sdk::TokenBucket historical{"historical data", 3, 3};
  sdk::TokenBucket orders{"order placement", 10, 10};
  sdk::TokenBucket other{"other requests", 10, 10};
};

class KiteClient {
 public:
  explicit KiteClient(sdk::Host& host) : host_(host) {}

  std::string api_url() const { return host_.config_or("ZERODHA_API_URL", kDefaultApiUrl); }
  // BROKER_API_KEY, or Error(OA_ERR_AUTH) saying to set it.
  std::string api_key() const;
  std::string api_secret() const;

  // One authorised request; `path` starts with '/' and may carry a query.
  // Returns the envelope's "data"; throws sdk::Error with Kite's message.
  json::value request(const sdk::Call& call, sdk::TokenBucket& limit, std::string_view method, std::string_view path,
                      const sdk::FormFields& form = {}) const;
  // The same with a JSON body (the margin calculators take one).
  json::value request_json(const sdk::Call& call, sdk::TokenBucket& limit, std::string_view method,
                           std::string_view path, const json::value& body) const;
  // A request without a session (the token exchange, the instrument file).
  sdk::HttpResponse unauthorised(std::string_view method, std::string_view path, std::string_view body,
                                 std::int64_t deadline_ms) const;

  // The envelope's data, or the error it carries.
  static json::value data_of(const sdk::HttpResponse& response);

  KiteLimits& limits() { return limits_; }
  sdk::Host& host() const { return host_; }

 private:
  json::value send(const sdk::Call& call, sdk::TokenBucket& limit, std::string_view method, std::string_view path,
                   std::string_view content_type, std::string_view body) const;

  sdk::Host& host_;
  mutable KiteLimits limits_;
};

}  // namespace oa::zerodha
