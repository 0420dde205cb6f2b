// openalgo_plugin.hpp — the header-only C++ SDK over openalgo_plugin.h.
//
// A broker plugin is a class derived from oa::sdk::Broker that overrides the
// operations its manifest declares, plus one line:
//
//   OA_EXPORT_PLUGIN(MyBroker, kManifest)
//
// The SDK owns the C side: it builds the oa_plugin_api table from the
// manifest's capability bits, parses request documents with Boost.JSON,
// serialises answers, and catches every exception at the boundary, turning
// oa::sdk::Error into its status and anything else into OA_ERR_INTERNAL. No
// exception ever crosses into the host.
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "openalgo_plugin.h"

namespace oa::sdk {

namespace json = boost::json;

// An error with the status the host should answer with. The message is shown
// to the API client: make it say what to do (or quote the broker's text).
class Error : public std::runtime_error {
 public:
  Error(oa_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  oa_status status() const { return status_; }

 private:
  oa_status status_;
};

inline oa_str view(std::string_view text) { return {text.data(), text.size()}; }
inline std::string_view view(oa_str text) { return text.ptr ? std::string_view(text.ptr, text.len) : std::string_view(); }

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct Instrument {
  std::string symbol, brsymbol, name, exchange, brexchange, token, expiry, instrumenttype;
  double strike = 0;
  std::int64_t lotsize = 1;
  double tick_size = 0.05;
  double contract_value = 0;
};

struct Subscription {
  std::string symbol, exchange, token;
  oa_stream_mode mode = OA_MODE_LTP;
};

// What every operation receives besides its document.
struct Call {
  std::int64_t deadline_ms = 0;
  std::string_view auth_token, feed_token, broker_user_id;  // borrowed for the operation
};

namespace detail {

inline oa_instrument to_c(const Instrument& row) {
  return {view(row.symbol), view(row.brsymbol), view(row.name), view(row.exchange), view(row.brexchange),
          view(row.token), view(row.expiry), view(row.instrumenttype), row.strike, row.lotsize, row.tick_size,
          row.contract_value};
}

inline Instrument from_c(const oa_instrument& row) {
  return {std::string(view(row.symbol)), std::string(view(row.brsymbol)), std::string(view(row.name)),
          std::string(view(row.exchange)), std::string(view(row.brexchange)), std::string(view(row.token)),
          std::string(view(row.expiry)), std::string(view(row.instrumenttype)), row.strike, row.lotsize,
          row.tick_size, row.contract_value};
}

}  // namespace detail

// The host's services for one plugin instance.
class Host {
 public:
  Host(const oa_host_api* api, oa_host* handle) : api_(api), handle_(handle) {}
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  void log(oa_log_level level, std::string_view message) const { api_->log(handle_, level, view(message)); }
  void info(std::string_view message) const { log(OA_LOG_INFO, message); }
  void warn(std::string_view message) const { log(OA_LOG_WARNING, message); }
  void error(std::string_view message) const { log(OA_LOG_ERROR, message); }

  // nullopt when unset (the bytes live until the instance is destroyed).
  std::optional<std::string_view> config(const char* key) const {
    oa_str value = api_->config_get(handle_, key);
    if (!value.ptr) return std::nullopt;
    return view(value);
  }
  std::string config_or(const char* key, std::string_view fallback) const {
    auto value = config(key);
    return std::string(value && !value->empty() ? *value : fallback);
  }

  // Throws Error(OA_ERR_UPSTREAM) when no response arrives by the deadline.
  HttpResponse http(std::string_view method, std::string_view url,
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    std::string_view body = {}, std::int64_t deadline_ms = 0) const {
    std::vector<oa_header> c_headers;
    for (const auto& [name, value] : headers) c_headers.push_back({view(name), view(value)});
    oa_http_request request{view(method), view(url), c_headers.data(), c_headers.size(), view(body), deadline_ms};
    HttpResponse response;
    auto on_response = [](void* user, const oa_http_response* raw) {
      auto* out = static_cast<HttpResponse*>(user);
      out->status = raw->status;
      for (std::size_t i = 0; i < raw->header_count; ++i)
        out->headers.emplace_back(view(raw->headers[i].name), view(raw->headers[i].value));
      out->body.assign(view(raw->body));
    };
    char error[512] = "";
    oa_status status = api_->http_request(handle_, &request, on_response, &response, error, sizeof error);
    if (status != OA_OK) throw Error(status, error[0] ? std::string(error) : "request to " + std::string(url) + " failed");
    return response;
  }

  // by: 0 = OpenAlgo symbol, 1 = broker token, 2 = broker symbol.
  std::optional<Instrument> find_instrument(int by, std::string_view key, std::string_view exchange) const {
    std::optional<Instrument> found;
    auto on_row = [](void* user, const oa_instrument* row) {
      *static_cast<std::optional<Instrument>*>(user) = detail::from_c(*row);
      return 1;
    };
    api_->instrument_lookup(handle_, by, view(key), view(exchange), on_row, &found);
    return found;
  }

  void emit_tick(const oa_tick& tick) const { api_->emit_tick(handle_, &tick); }
  void emit_order_update(const json::object& update) const {
    auto text = json::serialize(update);
    api_->emit_order_update(handle_, view(text));
  }
  std::int64_t now_ms() const { return api_->now_ms(handle_); }

  // Runs `tick` every period on a host worker thread until stop_timer or
  // destroy. The function is kept here, so it may capture the broker.
  std::uint64_t start_timer(std::uint32_t period_ms, std::function<void()> tick) {
    auto owned = std::make_unique<std::function<void()>>(std::move(tick));
    auto trampoline = [](void* user) {
      try {
        (*static_cast<std::function<void()>*>(user))();
      } catch (...) {
        // A timer has nobody to answer; the next period tries again.
      }
    };
    std::uint64_t id = api_->timer_start(handle_, period_ms, trampoline, owned.get());
    if (id == 0) throw Error(OA_ERR_INTERNAL, "the host refused a timer");
    std::lock_guard lock(timers_mutex_);
    timers_.emplace(id, std::move(owned));
    return id;
  }
  void stop_timer(std::uint64_t id) {
    api_->timer_stop(handle_, id);
    std::lock_guard lock(timers_mutex_);
    timers_.erase(id);
  }

  const oa_host_api* api() const { return api_; }
  oa_host* handle() const { return handle_; }

 private:
  const oa_host_api* api_;
  oa_host* handle_;
  std::mutex timers_mutex_;
  std::map<std::uint64_t, std::unique_ptr<std::function<void()>>> timers_;
};

// ABI 1.1: tells the host whether the plugin's upstream market-data feed is
// up (connected) or lost (reason says why). After a loss the host
// re-subscribes every key it holds, with backoff. A 1.0 host lacks the
// service: then nothing is sent and false comes back.
inline bool report_stream(const oa_host_api* api, oa_host* handle, bool connected, std::string_view reason) {
  if (!api || api->struct_size < offsetof(oa_host_api, stream_status) + sizeof(api->stream_status)) return false;
  if (!api->stream_status) return false;
  api->stream_status(handle, connected ? 1 : 0, view(reason));
  return true;
}
inline bool report_stream(const Host& host, bool connected, std::string_view reason = {}) {
  return report_stream(host.api(), host.handle(), connected, reason);
}

// Where master_contract writes its rows (streamed to the host, not held).
class InstrumentSink {
 public:
  InstrumentSink(const oa_host_api* api, oa_result* result) : api_(api), result_(result) {}
  void add(const Instrument& row) {
    oa_instrument c_row = detail::to_c(row);
    api_->instrument_add(result_, &c_row);
    ++count_;
  }
  std::size_t count() const { return count_; }

 private:
  const oa_host_api* api_;
  oa_result* result_;
  std::size_t count_ = 0;
};

// The base of every broker plugin. Override what the manifest declares; a
// declared operation left at its default answers OA_ERR_NOT_SUPPORTED.
class Broker {
 public:
  explicit Broker(Host& host) : host_(host) {}
  virtual ~Broker() = default;

  virtual json::value authenticate(const Call&, const json::object&) { return unsupported("authenticate"); }
  virtual json::value place_order(const Call&, const json::object&) { return unsupported("place_order"); }
  virtual json::value modify_order(const Call&, const json::object&) { return unsupported("modify_order"); }
  virtual json::value cancel_order(const Call&, const json::object&) { return unsupported("cancel_order"); }
  virtual json::value place_smart_order(const Call&, const json::object&) { return unsupported("place_smart_order"); }
  virtual json::value cancel_all_orders(const Call&, const json::object&) { return unsupported("cancel_all_orders"); }
  virtual json::value close_all_positions(const Call&, const json::object&) { return unsupported("close_all_positions"); }
  virtual json::value order_book(const Call&, const json::object&) { return unsupported("order_book"); }
  virtual json::value trade_book(const Call&, const json::object&) { return unsupported("trade_book"); }
  virtual json::value positions(const Call&, const json::object&) { return unsupported("positions"); }
  virtual json::value holdings(const Call&, const json::object&) { return unsupported("holdings"); }
  virtual json::value funds(const Call&, const json::object&) { return unsupported("funds"); }
  virtual json::value margin(const Call&, const json::object&) { return unsupported("margin"); }
  virtual json::value quotes(const Call&, const json::object&) { return unsupported("quotes"); }
  virtual json::value multiquotes(const Call&, const json::object&) { return unsupported("multiquotes"); }
  virtual json::value depth(const Call&, const json::object&) { return unsupported("depth"); }
  virtual json::value history(const Call&, const json::object&) { return unsupported("history"); }
  virtual json::value gtt_place(const Call&, const json::object&) { return unsupported("gtt_place"); }
  virtual json::value gtt_modify(const Call&, const json::object&) { return unsupported("gtt_modify"); }
  virtual json::value gtt_cancel(const Call&, const json::object&) { return unsupported("gtt_cancel"); }
  virtual json::value gtt_book(const Call&, const json::object&) { return unsupported("gtt_book"); }
  // ABI 1.2, OA_CAP_ORDER_STREAM: start and stop the account's order updates
  // (see openalgo_sdk/order_stream.hpp); updates go out through emit_order_update.
  virtual json::value order_stream_open(const Call&, const json::object&) { return unsupported("order_stream_open"); }
  virtual json::value order_stream_close(const Call&, const json::object&) { return unsupported("order_stream_close"); }
  // Returns the number of rows added.
  virtual std::size_t master_contract(const Call&, InstrumentSink&) {
    unsupported("master_contract");
    return 0;
  }
  virtual void subscribe(const Call&, const std::vector<Subscription>&) { unsupported("subscribe"); }
  virtual void unsubscribe(const Call&, const std::vector<Subscription>&) { unsupported("unsubscribe"); }

 protected:
  Host& host() const { return host_; }

 private:
  [[noreturn]] static json::value unsupported(const char* operation) {
    throw Error(OA_ERR_NOT_SUPPORTED, std::string(operation) + " is not supported by this broker");
  }
  Host& host_;
};

// Reads a required member of a request document, with a clear error.
inline std::string_view text_field(const json::object& document, std::string_view key) {
  const json::value* value = document.if_contains(key);
  if (!value || !value->is_string())
    throw Error(OA_ERR_INVALID_ARGUMENT, "'" + std::string(key) + "' must be a string");
  return value->get_string();
}

namespace detail {

// The process-wide host table: one per loaded copy of the library.
inline const oa_host_api*& host_api() {
  static const oa_host_api* api = nullptr;
  return api;
}

template <class B>
struct Instance {
  Host host;
  std::unique_ptr<B> broker;
  Instance(const oa_host_api* api, oa_host* handle) : host(api, handle) {}
};

// Operations are called through Broker's virtual functions, so a plugin class
// only overrides what it declares.
template <class B>
Broker& broker_of(oa_plugin* self) {
  return *reinterpret_cast<Instance<B>*>(self)->broker;
}

inline Call to_call(const oa_call* call) {
  return {call->deadline_ms, view(call->session.auth_token), view(call->session.feed_token),
          view(call->session.broker_user_id)};
}

inline void report(oa_result* result, oa_status status, std::string_view message) {
  host_api()->result_error(result, status, view(message));
}

// Runs `body`, turning every exception into a status and message.
template <class Body>
oa_status guarded(oa_result* result, Body&& body) noexcept {
  try {
    body();
    return OA_OK;
  } catch (const Error& error) {
    report(result, error.status(), error.what());
    return error.status();
  } catch (const std::exception& error) {
    report(result, OA_ERR_INTERNAL, std::string("plugin error: ") + error.what());
    return OA_ERR_INTERNAL;
  } catch (...) {
    report(result, OA_ERR_INTERNAL, "plugin error: unknown exception");
    return OA_ERR_INTERNAL;
  }
}

inline json::object parse_request(oa_str request) {
  boost::system::error_code ec;
  json::value document = json::parse(view(request), ec);
  if (ec || !document.is_object()) throw Error(OA_ERR_INVALID_ARGUMENT, "request is not a JSON object");
  return std::move(document.as_object());
}

template <class B, json::value (Broker::*Method)(const Call&, const json::object&)>
oa_status document_operation(oa_plugin* self, const oa_call* call, oa_str request, oa_result* result) {
  return guarded(result, [&] {
    json::value answer = (broker_of<B>(self).*Method)(to_call(call), parse_request(request));
    auto text = json::serialize(answer);
    host_api()->result_json(result, view(text));
  });
}

template <class B>
oa_status master_contract_operation(oa_plugin* self, const oa_call* call, oa_str, oa_result* result) {
  return guarded(result, [&] {
    InstrumentSink sink(host_api(), result);
    std::size_t count = broker_of<B>(self).master_contract(to_call(call), sink);
    auto text = json::serialize(json::object{{"count", count}});
    host_api()->result_json(result, view(text));
  });
}

inline std::vector<Subscription> to_subscriptions(const oa_subscription* items, std::size_t count) {
  std::vector<Subscription> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    out.push_back({std::string(view(items[i].symbol)), std::string(view(items[i].exchange)),
                   std::string(view(items[i].token)), items[i].mode});
  return out;
}

template <class B, void (Broker::*Method)(const Call&, const std::vector<Subscription>&)>
oa_status stream_operation(oa_plugin* self, const oa_call* call, const oa_subscription* items, std::size_t count,
                           oa_result* result) {
  return guarded(result, [&] { (broker_of<B>(self).*Method)(to_call(call), to_subscriptions(items, count)); });
}

template <class B>
oa_status create_instance(oa_host* handle, oa_plugin** out, oa_result* error) {
  return guarded(error, [&] {
    auto instance = std::make_unique<Instance<B>>(host_api(), handle);
    instance->broker = std::make_unique<B>(instance->host);
    *out = reinterpret_cast<oa_plugin*>(instance.release());
  });
}

template <class B>
void destroy_instance(oa_plugin* self) {
  delete reinterpret_cast<Instance<B>*>(self);
}

template <class B>
oa_plugin_api make_table(const oa_manifest* manifest) {
  auto has = [manifest](std::uint64_t bit) { return (manifest->capabilities & bit) != 0; };
  oa_plugin_api table{};
  table.struct_size = sizeof(oa_plugin_api);
  table.abi_major = OA_PLUGIN_ABI_MAJOR;
  table.abi_minor = OA_PLUGIN_ABI_MINOR;
  table.build_fingerprint = OA_PLUGIN_BUILD_FINGERPRINT;
  table.manifest = manifest;
  table.create = &create_instance<B>;
  table.destroy = &destroy_instance<B>;
  if (manifest->auth_style != OA_AUTH_NONE) table.authenticate = &document_operation<B, &Broker::authenticate>;
  if (has(OA_CAP_ORDERS)) {
    table.place_order = &document_operation<B, &Broker::place_order>;
    table.modify_order = &document_operation<B, &Broker::modify_order>;
    table.cancel_order = &document_operation<B, &Broker::cancel_order>;
  }
  if (has(OA_CAP_SMART_ORDER)) table.place_smart_order = &document_operation<B, &Broker::place_smart_order>;
  if (has(OA_CAP_CANCEL_ALL)) table.cancel_all_orders = &document_operation<B, &Broker::cancel_all_orders>;
  if (has(OA_CAP_CLOSE_ALL)) table.close_all_positions = &document_operation<B, &Broker::close_all_positions>;
  if (has(OA_CAP_BOOKS)) {
    table.order_book = &document_operation<B, &Broker::order_book>;
    table.trade_book = &document_operation<B, &Broker::trade_book>;
    table.positions = &document_operation<B, &Broker::positions>;
    table.holdings = &document_operation<B, &Broker::holdings>;
  }
  if (has(OA_CAP_FUNDS)) table.funds = &document_operation<B, &Broker::funds>;
  if (has(OA_CAP_MARGIN)) table.margin = &document_operation<B, &Broker::margin>;
  if (has(OA_CAP_QUOTES)) table.quotes = &document_operation<B, &Broker::quotes>;
  if (has(OA_CAP_MULTIQUOTES)) table.multiquotes = &document_operation<B, &Broker::multiquotes>;
  if (has(OA_CAP_DEPTH)) table.depth = &document_operation<B, &Broker::depth>;
  if (has(OA_CAP_HISTORY)) table.history = &document_operation<B, &Broker::history>;
  if (has(OA_CAP_MASTER_CONTRACT)) table.master_contract = &master_contract_operation<B>;
  if (has(OA_CAP_MARKET_STREAM)) {
    table.subscribe = &stream_operation<B, &Broker::subscribe>;
    table.unsubscribe = &stream_operation<B, &Broker::unsubscribe>;
  }
  if (has(OA_CAP_GTT)) {
    table.gtt_place = &document_operation<B, &Broker::gtt_place>;
    table.gtt_modify = &document_operation<B, &Broker::gtt_modify>;
    table.gtt_cancel = &document_operation<B, &Broker::gtt_cancel>;
    table.gtt_book = &document_operation<B, &Broker::gtt_book>;
  }
  if (has(OA_CAP_ORDER_STREAM)) {
    table.order_stream_open = &document_operation<B, &Broker::order_stream_open>;
    table.order_stream_close = &document_operation<B, &Broker::order_stream_close>;
  }
  return table;
}

template <class B>
const oa_plugin_api* entry(const oa_host_api* api, const oa_manifest* manifest) {
  if (!api || api->abi_major != OA_PLUGIN_ABI_MAJOR) return nullptr;
  host_api() = api;
  static const oa_plugin_api table = make_table<B>(manifest);
  return &table;
}

}  // namespace detail
}  // namespace oa::sdk

// Exports the plugin's entry symbol for broker class `BrokerClass` described
// by the oa_manifest `manifest` (a namespace-scope constant).
#define OA_EXPORT_PLUGIN(BrokerClass, manifest)                                                  \
  extern "C" __attribute__((visibility("default"))) const oa_plugin_api* openalgo_plugin_entry( \
      const oa_host_api* host_api) {                                                            \
    return ::oa::sdk::detail::entry<BrokerClass>(host_api, &(manifest));                         \
  }
