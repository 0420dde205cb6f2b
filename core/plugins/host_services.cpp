#include "plugins/host_services.hpp"

#include <chrono>
#include <condition_variable>
#include <cstring>

#include <spdlog/spdlog.h>

#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "plugins/scheduler.hpp"
#include "plugins/worker_pool.hpp"

using oa::plugins::HostContext;

namespace {

std::string_view view(oa_str text) { return text.ptr ? std::string_view(text.ptr, text.len) : std::string_view(); }
oa_str view(std::string_view text) { return {text.data(), text.size()}; }

}  // namespace

// A plugin timer: fired by the scheduler, run on the worker pool, never twice
// at once; stop waits for a running call to end.
struct oa_timer_state {
  std::uint64_t scheduler_id = 0;
  oa_timer_fn fn = nullptr;
  void* user = nullptr;
  std::mutex mutex;
  std::condition_variable idle;
  bool running = false;
  bool stopped = false;
};

struct oa_ws {
  std::shared_ptr<oa::net::WsConnection> connection;
  // Held while a callback runs, so that teardown can wait for it and then
  // disconnect the plugin from the socket.
  std::recursive_mutex callbacks_mutex;
  oa_ws_callbacks callbacks{};
};

namespace {

// ---- logging and settings -------------------------------------------------

void host_log(oa_host* host, oa_log_level level, oa_str message) {
  auto id = host ? std::string_view(host->plugin_id) : std::string_view("plugin");
  auto text = view(message);
  switch (level) {
    case OA_LOG_DEBUG: spdlog::debug("[{}] {}", id, text); break;
    case OA_LOG_INFO: spdlog::info("[{}] {}", id, text); break;
    case OA_LOG_WARNING: spdlog::warn("[{}] {}", id, text); break;
    default: spdlog::error("[{}] {}", id, text); break;
  }
}

oa_str host_config_get(oa_host* host, const char* key) {
  if (!host || !key) return {nullptr, 0};
  auto found = host->config.find(std::string_view(key));
  if (found == host->config.end()) return {nullptr, 0};
  return view(found->second);
}

// ---- results ---------------------------------------------------------------

void host_result_json(oa_result* result, oa_str json) {
  if (result) result->json = std::string(view(json));
}

void host_result_error(oa_result* result, oa_status status, oa_str message) {
  if (!result) return;
  result->error_status = status == OA_OK ? OA_ERR_INTERNAL : status;
  result->error_message = std::string(view(message));
}

void host_instrument_add(oa_result* sink, const oa_instrument* row) {
  if (sink && row && sink->instrument_sink) sink->instrument_sink(*row);
}

// ---- HTTP ------------------------------------------------------------------

void write_error(char* buffer, std::size_t size, std::string_view message) {
  if (!buffer || size == 0) return;
  std::size_t n = std::min(size - 1, message.size());
  std::memcpy(buffer, message.data(), n);
  buffer[n] = '\0';
}

oa::net::ClientRequest to_client_request(const oa_http_request& request) {
  oa::net::ClientRequest out;
  out.method = std::string(view(request.method));
  out.url = std::string(view(request.url));
  for (std::size_t i = 0; i < request.header_count; ++i)
    out.headers.emplace_back(std::string(view(request.headers[i].name)), std::string(view(request.headers[i].value)));
  out.body = std::string(view(request.body));
  if (request.deadline_ms <= 0) return out;  // the client's default timeout applies
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  out.deadline = std::chrono::steady_clock::now() +
                 std::chrono::milliseconds(std::max<std::int64_t>(request.deadline_ms - now_ms, 0));
  return out;
}

oa_status host_http_request(oa_host* host, const oa_http_request* request, oa_http_response_fn on_response,
                            void* user, char* error, std::size_t error_size) {
  if (!host || !request || !on_response || !host->context->http) {
    write_error(error, error_size, "invalid http_request call");
    return OA_ERR_INVALID_ARGUMENT;
  }
  auto outcome = host->context->http->send(to_client_request(*request));
  if (auto* failure = std::get_if<oa::net::ClientError>(&outcome)) {
    write_error(error, error_size, failure->message);
    return OA_ERR_UPSTREAM;
  }
  const auto& response = std::get<oa::net::ClientResponse>(outcome);
  std::vector<oa_header> headers;
  headers.reserve(response.headers.size());
  for (const auto& [name, value] : response.headers) headers.push_back({view(name), view(value)});
  oa_http_response c_response{response.status, headers.data(), headers.size(), view(response.body)};
  on_response(user, &c_response);
  return OA_OK;
}

// ---- instruments -----------------------------------------------------------

oa_status host_instrument_lookup(oa_host* host, int by, oa_str key, oa_str exchange, oa_instrument_fn fn,
                                 void* user) {
  if (!host || !fn || !host->context->instruments) return OA_ERR_INVALID_ARGUMENT;
  auto index = host->context->instruments->current(host->plugin_id);
  if (!index) return OA_ERR_NOT_FOUND;
  const oa::instruments::Instrument* row = by == 1   ? index->by_token(view(key), view(exchange))
                                           : by == 2 ? index->by_brsymbol(view(key), view(exchange))
                                                     : index->by_symbol(view(key), view(exchange));
  if (!row) return OA_ERR_NOT_FOUND;
  oa_instrument c_row{view(row->symbol),     view(row->brsymbol), view(row->name),
                      view(row->exchange),   view(row->brexchange), view(row->token),
                      view(row->expiry),     view(row->instrumenttype), row->strike,
                      row->lotsize,          row->tick_size,      row->contract_value};
  fn(user, &c_row);
  return OA_OK;
}

// ---- publishing, clock -----------------------------------------------------

void host_emit_tick(oa_host* host, const oa_tick* tick) {
  if (host && tick && host->context->on_tick) host->context->on_tick(host->plugin_id, *tick);
}

void host_emit_order_update(oa_host* host, oa_str json) {
  if (host && host->context->on_order_update) host->context->on_order_update(host->plugin_id, view(json));
}

std::int64_t host_now_ms(oa_host* host) {
  if (host && host->context->now_ms) return host->context->now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- timers ----------------------------------------------------------------

void run_timer(const std::shared_ptr<oa_timer_state>& timer) {
  timer->fn(timer->user);
  std::lock_guard lock(timer->mutex);
  timer->running = false;
  timer->idle.notify_all();
}

void fire_timer(HostContext* context, const std::shared_ptr<oa_timer_state>& timer) {
  {
    std::lock_guard lock(timer->mutex);
    if (timer->stopped || timer->running) return;  // never twice at once: skip this period
    timer->running = true;
  }
  if (context->pool->submit([timer] { run_timer(timer); })) return;
  std::lock_guard lock(timer->mutex);
  timer->running = false;
  timer->idle.notify_all();
}

std::uint64_t host_timer_start(oa_host* host, std::uint32_t period_ms, oa_timer_fn fn, void* user) {
  if (!host || !fn || period_ms == 0) return 0;
  auto timer = std::make_shared<oa_timer_state>();
  timer->fn = fn;
  timer->user = user;
  HostContext* context = host->context;
  timer->scheduler_id = context->scheduler->every(std::chrono::milliseconds(period_ms),
                                                  [context, timer] { fire_timer(context, timer); });
  std::lock_guard lock(host->timers_mutex);
  host->timers[timer->scheduler_id] = timer;
  return timer->scheduler_id;
}

void stop_timer(HostContext* context, const std::shared_ptr<oa_timer_state>& timer) {
  context->scheduler->cancel(timer->scheduler_id);
  std::unique_lock lock(timer->mutex);
  timer->stopped = true;
  timer->idle.wait(lock, [&] { return !timer->running; });
}

void host_timer_stop(oa_host* host, std::uint64_t timer_id) {
  if (!host) return;
  std::shared_ptr<oa_timer_state> timer;
  {
    std::lock_guard lock(host->timers_mutex);
    auto found = host->timers.find(timer_id);
    if (found == host->timers.end()) return;
    timer = found->second;
    host->timers.erase(found);
  }
  stop_timer(host->context, timer);
}

// ---- WebSocket -------------------------------------------------------------

oa_ws* host_ws_connect(oa_host* host, oa_str url, const oa_header* headers, std::size_t header_count,
                       const oa_ws_callbacks* callbacks) {
  if (!host || !callbacks || !host->context->ws) return nullptr;
  auto socket = std::make_shared<oa_ws>();
  socket->callbacks = *callbacks;
  std::vector<oa::net::Header> upgrade_headers;
  for (std::size_t i = 0; i < header_count; ++i)
    upgrade_headers.emplace_back(std::string(view(headers[i].name)), std::string(view(headers[i].value)));
  oa::net::WsCallbacks events;
  // Weak: the oa_ws belongs to host->sockets; an event after teardown finds nothing.
  std::weak_ptr<oa_ws> weak = socket;
  events.on_open = [weak] {
    auto self = weak.lock();
    if (!self) return;
    std::lock_guard lock(self->callbacks_mutex);
    if (self->callbacks.on_open) self->callbacks.on_open(self->callbacks.user, self.get());
  };
  events.on_message = [weak](bool is_binary, std::string_view data) {
    auto self = weak.lock();
    if (!self) return;
    std::lock_guard lock(self->callbacks_mutex);
    if (self->callbacks.on_message)
      self->callbacks.on_message(self->callbacks.user, self.get(), is_binary ? 1 : 0, view(data));
  };
  events.on_close = [weak](int code, std::string reason) {
    auto self = weak.lock();
    if (!self) return;
    std::lock_guard lock(self->callbacks_mutex);
    if (self->callbacks.on_close) self->callbacks.on_close(self->callbacks.user, self.get(), code, view(reason));
  };
  {
    std::lock_guard lock(host->sockets_mutex);
    host->sockets.push_back(socket);
  }
  // Events wait on the mutex until `connection` is set, so a callback can always send.
  std::lock_guard lock(socket->callbacks_mutex);
  socket->connection = host->context->ws->connect(std::string(view(url)), std::move(upgrade_headers), std::move(events));
  return socket.get();
}

oa_status host_ws_send(oa_ws* ws, int is_binary, oa_str data) {
  if (!ws || !ws->connection) return OA_ERR_INVALID_ARGUMENT;
  return ws->connection->send(is_binary != 0, std::string(view(data))) ? OA_OK : OA_ERR_UPSTREAM;
}

void host_ws_close(oa_ws* ws) {
  if (ws && ws->connection) ws->connection->close();
}

// ---- stream status (ABI 1.1) ----------------------------------------------

void host_stream_status(oa_host* host, int connected, oa_str reason) {
  if (!host) return;
  auto why = view(reason);
  {
    std::lock_guard lock(host->stream_mutex);
    auto& state = host->stream;
    if (!connected && (state.connected || !state.reported)) ++state.disconnects;
    state.reported = true;
    state.connected = connected != 0;
    state.reason = std::string(why);
    state.changed_ms = host_now_ms(host);
  }
  if (connected) spdlog::info("[{}] market-data feed connected", host->plugin_id);
  else spdlog::warn("[{}] market-data feed lost: {}", host->plugin_id, why.empty() ? "no reason given" : why);
  if (host->context->on_stream_status) host->context->on_stream_status(host->plugin_id, connected != 0, why);
}

const oa_host_api kHostApi{
    sizeof(oa_host_api),
    OA_PLUGIN_ABI_MAJOR,
    OA_PLUGIN_ABI_MINOR,
    OA_PLUGIN_BUILD_FINGERPRINT,
    host_log,
    host_config_get,
    host_result_json,
    host_result_error,
    host_http_request,
    host_instrument_lookup,
    host_instrument_add,
    host_emit_tick,
    host_emit_order_update,
    host_now_ms,
    host_timer_start,
    host_timer_stop,
    host_ws_connect,
    host_ws_send,
    host_ws_close,
    host_stream_status,
};

}  // namespace

void oa_host::quiesce() {
  std::map<std::uint64_t, std::shared_ptr<oa_timer_state>> stopping;
  {
    std::lock_guard lock(timers_mutex);
    stopping.swap(timers);
  }
  for (auto& [id, timer] : stopping) stop_timer(context, timer);
  std::vector<std::shared_ptr<oa_ws>> closing;
  {
    std::lock_guard lock(sockets_mutex);
    closing.swap(sockets);
  }
  for (auto& socket : closing) {
    {
      std::lock_guard lock(socket->callbacks_mutex);
      socket->callbacks = {};  // the plugin is going away: deliver nothing more to it
    }
    if (socket->connection) socket->connection->close();
  }
}

namespace oa::plugins {

const oa_host_api& host_api_table() { return kHostApi; }

}  // namespace oa::plugins
