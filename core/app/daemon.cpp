#include "app/daemon.hpp"

#include <csignal>
#include <iostream>

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "api/openapi.hpp"
#include "api/rate_limit.hpp"
#include "api/request_recorder.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "app/gateway.hpp"
#include "api/web_routes.hpp"
#include "log/log.hpp"
#include "net/http_server.hpp"
#include "net/ws_server.hpp"

namespace oa::app {
namespace {

constexpr std::chrono::seconds kDrainTimeout{10};
// How soon a key or broker login that the CLI changed reaches the daemon's caches.
constexpr std::chrono::seconds kCredentialsPoll{1};

sigset_t daemon_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

net::ServerOptions server_options(const config::Config& config) {
  net::ServerOptions options;
  options.host = config.get("HTTP_HOST");
  options.port = static_cast<std::uint16_t>(config.get_int("HTTP_PORT"));
  options.threads = static_cast<unsigned>(config.get_int("HTTP_THREADS"));
  options.max_body_bytes = static_cast<std::size_t>(config.get_int("HTTP_MAX_BODY_BYTES"));
  options.header_timeout = std::chrono::seconds(config.get_int("HTTP_HEADER_TIMEOUT_SECONDS"));
  options.idle_timeout = std::chrono::seconds(config.get_int("HTTP_IDLE_TIMEOUT_SECONDS"));
  options.tls_cert_file = config.get("TLS_CERT_FILE");
  options.tls_key_file = config.get("TLS_KEY_FILE");
  return options;
}

void announce_first_run(Runtime& runtime) {
  if (!runtime.generated_secrets.empty())
    spdlog::info("first run: generated {} in {} (mode 0600)", fmt::join(runtime.generated_secrets, ", "),
                 runtime.config.env_file().string());
  if (!runtime.accounts->list_users().empty()) return;
  std::cout << "No users yet. To get an API key, in another terminal:\n"
            << "  build/openalgod user add --username admin --data-dir " << runtime.config.data_dir().string()
            << "   (then type the password)\n"
            << "  build/openalgod apikey issue --username admin --data-dir "
            << runtime.config.data_dir().string() << std::endl;
}

void reload(const ConfigSource& source, Gateway& gateway) {
  for (const auto& report : gateway.plugins().reload_all())
    if (!report.ok) spdlog::error("reload: plugin {}: {}", report.id, report.message);
  try {
    auto config = load_config(source);
    if (!log::set_level(config.get("LOG_LEVEL"))) spdlog::warn("reload: LOG_LEVEL not applied");
    for (const auto& secret : config.secret_values()) log::add_secret(secret);
    spdlog::info("reload: configuration re-read, log level {}", config.get("LOG_LEVEL"));
  } catch (const std::exception& error) {
    spdlog::error("reload: configuration kept as it was: {}", error.what());
  }
}

// Returns when asked to stop.
void wait_for_stop(const ConfigSource& source, Gateway& gateway) {
  sigset_t set = daemon_signals();
  for (;;) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) continue;
    if (signal == SIGHUP) {
      reload(source, gateway);
      continue;
    }
    spdlog::info("received {}, stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
    return;
  }
}

// Serves until SIGINT or SIGTERM. Everything that uses the store is gone
// when this returns (the sandbox keeps connections leased between requests),
// so the store can close.
void serve_until_stopped(const ConfigSource& source, Runtime& runtime) {
  Gateway gateway(runtime);
  gateway.start();
  api::RateLimiter limiter(api::rate_limits(runtime.config));
  api::Router router;
  router.set_rate_limiter(&limiter);
  api::RequestRecorder recorder(gateway.request_log(), gateway.api_context().analyze_mode);
  router.set_recorder(&recorder);
  api::add_all_routes(router, gateway.api_context());
  if (api::add_web_routes(router, runtime.config.get("WEB_DIR")) == 0)
    spdlog::warn("no web UI: WEB_DIR '{}' has no files", runtime.config.get("WEB_DIR"));
  if (!api::add_docs_routes(router, runtime.config.get("WEB_DIR")))
    spdlog::warn("no /api/docs page: WEB_DIR '{}' has no docs/index.html (the document is still at "
                 "/api/docs/openapi.json)", runtime.config.get("WEB_DIR"));
  // Feed clients connect on WEBSOCKET_PORT, or upgrade at /ws on the HTTP port.
  net::WsServer feed_server(ws_server_options(runtime.config), gateway.stream().handler());
  auto http_options = server_options(runtime.config);
  http_options.websocket = &feed_server;
  net::HttpServer server(std::move(http_options), [&router](net::HttpRequest&& request, net::Responder respond) {
    router.handle(std::move(request), std::move(respond));
  });
  auto port = server.start();
  auto ws_port = feed_server.start();
  std::cout << "openalgod: websocket feed on ws://" << runtime.config.get("WEBSOCKET_HOST") << ':' << ws_port
            << " and /ws" << std::endl;
  const char* scheme = runtime.config.get("TLS_CERT_FILE").empty() ? "http" : "https";
  spdlog::info("openalgod serving on {}://{}:{} (store: {})", scheme, runtime.config.get("HTTP_HOST"), port,
               runtime.store_display);
  std::cout << "openalgod: listening on " << scheme << "://" << runtime.config.get("HTTP_HOST") << ':' << port
            << std::endl;
  announce_first_run(runtime);
  wait_for_stop(source, gateway);
  feed_server.stop();  // before the HTTP server: its /ws connections run on that server's threads
  server.stop(kDrainTimeout);
  gateway.request_log().flush();  // the last requests' log entries, before the store closes
}

}  // namespace

int serve(const ConfigSource& source) {
  // Threads started from here on inherit the mask: signals reach only sigwait.
  sigset_t set = daemon_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto runtime = open_runtime(source);
  runtime.accounts->watch_other_processes(kCredentialsPoll);
  serve_until_stopped(source, runtime);
  runtime.accounts->stop_watching();
  runtime.store->close();
  spdlog::info("stopped");
  spdlog::shutdown();
  return 0;
}

}  // namespace oa::app
