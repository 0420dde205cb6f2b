#include <cctype>
#include "config/keys.hpp"

#include <algorithm>
#include <iterator>

namespace oa::config {
namespace {

constexpr long long kMaxInt = 2147483647;

// Order matters: render_example() writes groups and keys in this order.
constexpr KeySpec kKeys[] = {
    // Network
    {.name = "HTTP_HOST", .group = "Network", .kind = Kind::Text, .default_value = "127.0.0.1",
     .description = "Address the HTTP server binds to; 0.0.0.0 makes it reachable from other machines",
     .alias = "FLASK_HOST_IP"},
    {.name = "HTTP_PORT", .group = "Network", .kind = Kind::Port, .default_value = "5000",
     .description = "HTTP port; 0 picks a free port", .alias = "FLASK_PORT"},
    {.name = "HTTP_THREADS", .group = "Network", .kind = Kind::Integer, .default_value = "0",
     .description = "Threads serving HTTP; 0 means one per CPU core", .min = 0, .max = 1024},
    {.name = "HTTP_MAX_BODY_BYTES", .group = "Network", .kind = Kind::Integer, .default_value = "1048576",
     .description = "Largest request body accepted, in bytes", .min = 1, .max = kMaxInt},
    {.name = "HTTP_HEADER_TIMEOUT_SECONDS", .group = "Network", .kind = Kind::Integer, .default_value = "10",
     .description = "Seconds a client has to send the request headers", .min = 1, .max = 3600},
    {.name = "HTTP_IDLE_TIMEOUT_SECONDS", .group = "Network", .kind = Kind::Integer, .default_value = "60",
     .description = "Seconds an idle keep-alive connection stays open", .min = 1, .max = 86400},
    {.name = "TLS_CERT_FILE", .group = "Network", .kind = Kind::ExistingFile, .default_value = "",
     .description = "PEM certificate chain for HTTPS; set together with TLS_KEY_FILE, or leave both empty"},
    {.name = "TLS_KEY_FILE", .group = "Network", .kind = Kind::ExistingFile, .default_value = "",
     .description = "PEM private key for HTTPS; set together with TLS_CERT_FILE, or leave both empty"},
    {.name = "WEBSOCKET_HOST", .group = "Network", .kind = Kind::Text, .default_value = "127.0.0.1",
     .description = "Address the WebSocket server binds to"},
    {.name = "WEBSOCKET_PORT", .group = "Network", .kind = Kind::Port, .default_value = "8765",
     .description = "WebSocket port; 0 picks a free port"},
    {.name = "WEB_DIR", .group = "Network", .kind = Kind::Directory, .default_value = "web",
     .description = "Directory of the static web UI served at /"},
    {.name = "WEBSOCKET_URL", .group = "Network", .kind = Kind::Url, .default_value = "ws://127.0.0.1:8765",
     .description = "WebSocket URL given to clients", .schemes = "ws:// wss://"},
    {.name = "WS_AUTH_GRACE_SECONDS", .group = "Network", .kind = Kind::Integer, .default_value = "15",
     .description = "Seconds a WebSocket client has to authenticate before it is closed", .min = 1, .max = 3600},
    {.name = "WS_MAX_QUEUE", .group = "Network", .kind = Kind::Integer, .default_value = "1024",
     .description = "Replies and order updates queued per WebSocket client before it is closed as too slow "
                    "(market data is conflated per symbol and mode, not counted)",
     .min = 1, .max = 1000000},
    {.name = "WS_MAX_LAG_SECONDS", .group = "Network", .kind = Kind::Integer, .default_value = "10",
     .description = "A WebSocket client whose oldest unsent message is older than this is closed as too slow",
     .min = 1, .max = 3600},
    {.name = "WS_MAX_CONNECTIONS", .group = "Network", .kind = Kind::Integer, .default_value = "10000",
     .description = "WebSocket clients connected at once; more are closed with 1013", .min = 1, .max = 1000000},
    {.name = "WS_MAX_SUBSCRIPTIONS", .group = "Network", .kind = Kind::Integer, .default_value = "3000",
     .description = "Symbol subscriptions (per mode) one WebSocket client may hold", .min = 1, .max = 1000000},
    {.name = "WS_MAX_MESSAGE_BYTES", .group = "Network", .kind = Kind::Integer, .default_value = "1048576",
     .description = "Largest message a WebSocket client may send, in bytes", .min = 1024, .max = kMaxInt},
    {.name = "WS_MAX_MESSAGES_PER_SECOND", .group = "Network", .kind = Kind::Integer, .default_value = "50",
     .description = "Messages a WebSocket client may send per second; past it errors, past five times it closed",
     .min = 1, .max = 1000000},
    {.name = "WS_THREADS", .group = "Network", .kind = Kind::Integer, .default_value = "1",
     .description = "Threads serving the WebSocket port", .min = 1, .max = 256},
    {.name = "FEED_SILENCE_SECONDS", .group = "Network", .kind = Kind::Integer, .default_value = "60",
     .description = "A broker feed with subscriptions but no tick for this long during market hours is "
                    "reconnected",
     .min = 5, .max = 86400},
    {.name = "WS_PING_INTERVAL", .group = "Network", .kind = Kind::Integer, .default_value = "20",
     .description = "Seconds between server pings on a WebSocket", .min = 1, .max = 3600},
    {.name = "WS_PING_TIMEOUT", .group = "Network", .kind = Kind::Integer, .default_value = "20",
     .description = "Seconds to wait for a pong before closing a WebSocket", .min = 1, .max = 3600},
    {.name = "MAX_SYMBOLS_PER_WEBSOCKET", .group = "Network", .kind = Kind::Integer, .default_value = "1000",
     .description = "Symbols subscribed per broker WebSocket connection", .min = 1, .max = 100000},
    {.name = "MAX_WEBSOCKET_CONNECTIONS", .group = "Network", .kind = Kind::Integer, .default_value = "3",
     .description = "Broker WebSocket connections per user", .min = 1, .max = 100},

    // Store
    {.name = "DATABASE_URL", .group = "Store", .kind = Kind::Url, .default_value = "",
     .description = "Main database: sqlite:///relative/path, sqlite:////absolute/path or postgresql://...; "
                    "empty: openalgo.db in the data directory",
     .schemes = "sqlite:/// postgresql:// postgres://"},
    {.name = "LOGS_DATABASE_URL", .group = "Store", .kind = Kind::Url, .default_value = "",
     .description = "Database of the traffic and analyzer logs, apart so that their batched writes never hold "
                    "up the order tables. Empty: logs.db next to a SQLite DATABASE_URL, or the main "
                    "PostgreSQL database",
     .schemes = "sqlite:/// postgresql:// postgres://"},
    {.name = "DB_POOL_SIZE", .group = "Store", .kind = Kind::Integer, .default_value = "8",
     .description = "Database connections kept open. From 4, the sandbox engine keeps one and its "
                    "account views a quarter of them for themselves",
     .min = 1, .max = 256},

    // Secrets
    {.name = "APP_KEY", .group = "Secrets", .kind = Kind::Secret, .default_value = "",
     .description = "Signs session cookies and CSRF tokens", .min = 32, .secret = true, .generated_bytes = 32},
    {.name = "API_KEY_PEPPER", .group = "Secrets", .kind = Kind::Secret, .default_value = "",
     .description = "Pepper for password and API-key hashes and the encryption key; never change it once users exist",
     .min = 32, .secret = true, .generated_bytes = 32, .guards_stored_data = true},
    {.name = "FERNET_SALT", .group = "Secrets", .kind = Kind::HexSecret, .default_value = "",
     .description = "Hex salt for the key that encrypts broker tokens; never change it once users exist",
     .min = 32, .secret = true, .generated_bytes = 16, .guards_stored_data = true},

    // Broker
    {.name = "BROKER_API_KEY", .group = "Broker", .kind = Kind::Text, .default_value = "",
     .description = "Broker app key (Dhan, Flattrade: client_id:::key; 5paisa: key:::user_id:::client_id)",
     .secret = true},
    {.name = "BROKER_API_SECRET", .group = "Broker", .kind = Kind::Text, .default_value = "",
     .description = "Broker app secret", .secret = true},
    {.name = "BROKER_API_KEY_MARKET", .group = "Broker", .kind = Kind::Text, .default_value = "",
     .description = "Market-data app key (XTS brokers only)", .secret = true},
    {.name = "BROKER_API_SECRET_MARKET", .group = "Broker", .kind = Kind::Text, .default_value = "",
     .description = "Market-data app secret (XTS brokers only)", .secret = true},
    {.name = "REDIRECT_URL", .group = "Broker", .kind = Kind::RedirectUrl, .default_value = "",
     .description =
         "Broker login callback, e.g. http://127.0.0.1:5000/zerodha/callback; empty when no broker is set up"},
    {.name = "VALID_BROKERS", .group = "Broker", .kind = Kind::List,
     .default_value = "simulator,fivepaisa,fivepaisaxts,aliceblue,angel,arrow,compositedge,dhan,dhan_sandbox,"
                      "definedge,deltaexchange,firstock,flattrade,fyers,groww,hdfcsecurities,hdfcsky,ibulls,iifl,"
                      "iiflcapital,indmoney,jainamxts,kotak,motilal,mstock,nubra,paytm,pocketful,rmoney,samco,"
                      "shoonya,tradejini,tradesmart,upstox,wisdom,zebu,zerodha",
     .description = "Comma-separated broker ids that may be used"},
    {.name = "PLUGIN_DIRS", .group = "Broker", .kind = Kind::List, .default_value = "build/plugins:var/plugins",
     .description = "Colon-separated directories searched for broker plugins"},
    {.name = "PLUGIN_CALL_TIMEOUT_MS", .group = "Broker", .kind = Kind::Integer, .default_value = "10000",
     .description = "Deadline of one broker call in milliseconds; the client gets a timeout after it", .min = 50,
     .max = 600000},
    {.name = "PLUGIN_WATCH", .group = "Broker", .kind = Kind::Boolean, .default_value = "false",
     .description = "Reload a plugin by itself when its file in PLUGIN_DIRS is replaced"},
    {.name = "ACTIVE_BROKER", .group = "Broker", .kind = Kind::Text, .default_value = "",
     .description = "Broker to use; empty means the simulator while no broker is logged in"},

    // Logging
    {.name = "LOG_LEVEL", .group = "Logging", .kind = Kind::LogLevel, .default_value = "INFO",
     .description = "DEBUG, INFO, WARNING, ERROR or CRITICAL"},
    {.name = "LOG_TO_FILE", .group = "Logging", .kind = Kind::Boolean, .default_value = "True",
     .description = "Also write log files (on by default, unlike OpenAlgo)"},
    {.name = "LOG_DIR", .group = "Logging", .kind = Kind::Directory, .default_value = "",
     .description = "Directory for log files; empty means <data dir>/log"},
    {.name = "LOG_COLORS", .group = "Logging", .kind = Kind::Boolean, .default_value = "True",
     .description = "Colour the console output"},
    {.name = "LOG_RETENTION", .group = "Logging", .kind = Kind::Integer, .default_value = "14",
     .description = "Days of log files to keep", .min = 1, .max = 3650},
    {.name = "TRAFFIC_LOG_RETENTION_DAYS", .group = "Logging", .kind = Kind::Integer, .default_value = "30",
     .description = "Days of traffic_logs rows to keep, purged at start and daily; 0 keeps them all",
     .min = 0, .max = 36500},
    {.name = "ANALYZER_LOG_RETENTION_DAYS", .group = "Logging", .kind = Kind::Integer, .default_value = "0",
     .description = "Days of analyzer_logs rows to keep, purged at start and daily; 0 keeps them all, as "
                    "OpenAlgo does",
     .min = 0, .max = 36500},

    // Rate limits
    {.name = "API_RATE_LIMIT", .group = "Rate limits", .kind = Kind::Rate, .default_value = "50 per second",
     .description = "General /api/v1 limit, counted per API key and per client address"},
    {.name = "ORDER_RATE_LIMIT", .group = "Rate limits", .kind = Kind::Rate, .default_value = "10 per second",
     .description = "Place, modify and cancel order, options orders and GTT"},
    {.name = "SMART_ORDER_RATE_LIMIT", .group = "Rate limits", .kind = Kind::Rate,
     .default_value = "10 per second", .description = "Smart orders (placesmartorder)"},
    {.name = "SMART_ORDER_DELAY", .group = "Rate limits", .kind = Kind::Decimal, .default_value = "0.5",
     .description = "Seconds a live smart order's answer waits for the broker's positions to show its fill "
                    "(a timer, not a sleep); the next smart order for the same position waits as long",
     .min = 0, .max = 10},
    {.name = "GREEKS_RATE_LIMIT", .group = "Rate limits", .kind = Kind::Rate, .default_value = "30 per minute",
     .description = "Option greeks"},
    {.name = "LOGIN_RATE_LIMIT_MIN", .group = "Rate limits", .kind = Kind::Rate, .default_value = "5 per minute",
     .description = "Login, TOTP and broker login, per minute"},
    {.name = "LOGIN_RATE_LIMIT_HOUR", .group = "Rate limits", .kind = Kind::Rate, .default_value = "25 per hour",
     .description = "Login, TOTP and broker login, per hour"},
    {.name = "RESET_RATE_LIMIT", .group = "Rate limits", .kind = Kind::Rate, .default_value = "15 per hour",
     .description = "Password reset"},
    {.name = "WEBHOOK_RATE_LIMIT", .group = "Rate limits", .kind = Kind::Rate, .default_value = "100 per minute",
     .description = "Strategy and Chartink webhooks"},
    {.name = "STRATEGY_RATE_LIMIT", .group = "Rate limits", .kind = Kind::Rate, .default_value = "200 per minute",
     .description = "Strategy management"},

    // Sessions
    {.name = "SESSION_EXPIRY_TIME", .group = "Sessions", .kind = Kind::ClockTime, .default_value = "03:00",
     .description = "Daily time (HH:MM, IST) at which every session and broker token expires"},
    {.name = "BROKER_LOGIN_STATE_SECONDS", .group = "Sessions", .kind = Kind::Integer, .default_value = "600",
     .description = "Seconds a broker login URL's one-time state stays valid for the callback", .min = 1,
     .max = 86400},
    {.name = "DISABLE_SESSION_EXPIRY", .group = "Sessions", .kind = Kind::Boolean, .default_value = "false",
     .description = "Turn off the daily expiry, for brokers that trade around the clock"},
    {.name = "MASTER_CONTRACT_CUTOFF_TIME", .group = "Sessions", .kind = Kind::ClockTime, .default_value = "08:00",
     .description = "Time (HH:MM, IST) after which a downloaded master contract is reused for the rest of the day"},

    // Market
    {.name = "MARKET_CALENDAR_FILE", .group = "Market", .kind = Kind::Text,
     .default_value = "config/market_calendar.json",
     .description = "Holidays and session times (JSON) behind /api/v1/market/*; a relative path is read from the "
                    "working directory, like WEB_DIR"},

    // Sandbox: analyzer mode's paper trading. OpenAlgo keeps these in its
    // sandbox database (sandbox_config); here they are settings, named
    // SANDBOX_ + OpenAlgo's key, within OpenAlgo's bounds.
    {.name = "SANDBOX_STARTING_CAPITAL", .group = "Sandbox", .kind = Kind::Decimal, .default_value = "10000000",
     .description = "Rupees each user starts with (starting_capital): 100000, 500000, 1000000, 2500000, 5000000 or "
                    "10000000; a change applies to every ledger at the next start",
     .choices = "100000 500000 1000000 2500000 5000000 10000000"},
    {.name = "SANDBOX_EQUITY_MIS_LEVERAGE", .group = "Sandbox", .kind = Kind::Decimal, .default_value = "5",
     .description = "Leverage of NSE/BSE MIS orders (equity_mis_leverage), 1..50", .min = 1, .max = 50},
    {.name = "SANDBOX_EQUITY_CNC_LEVERAGE", .group = "Sandbox", .kind = Kind::Decimal, .default_value = "1",
     .description = "Leverage of NSE/BSE CNC orders (equity_cnc_leverage), 1..50", .min = 1, .max = 50},
    {.name = "SANDBOX_FUTURES_LEVERAGE", .group = "Sandbox", .kind = Kind::Decimal, .default_value = "10",
     .description = "Leverage of futures on every derivative exchange, crypto perpetuals included "
                    "(futures_leverage), 1..50",
     .min = 1, .max = 50},
    {.name = "SANDBOX_OPTION_BUY_LEVERAGE", .group = "Sandbox", .kind = Kind::Decimal, .default_value = "1",
     .description = "Leverage of option buys; 1 blocks the full premium (option_buy_leverage), 1..50", .min = 1,
     .max = 50},
    {.name = "SANDBOX_OPTION_SELL_LEVERAGE", .group = "Sandbox", .kind = Kind::Decimal, .default_value = "1",
     .description = "Leverage of option sells, on the premium (option_sell_leverage), 1..50", .min = 1, .max = 50},
    {.name = "SANDBOX_NSE_BSE_SQUARE_OFF_TIME", .group = "Sandbox", .kind = Kind::ClockTime,
     .default_value = "15:15",
     .description = "MIS square-off (HH:MM, IST) on NSE, BSE, NFO and BFO (nse_bse_square_off_time)"},
    {.name = "SANDBOX_CDS_BCD_SQUARE_OFF_TIME", .group = "Sandbox", .kind = Kind::ClockTime,
     .default_value = "16:45", .description = "MIS square-off (HH:MM, IST) on CDS and BCD (cds_bcd_square_off_time)"},
    {.name = "SANDBOX_MCX_SQUARE_OFF_TIME", .group = "Sandbox", .kind = Kind::ClockTime, .default_value = "23:30",
     .description = "MIS square-off (HH:MM, IST) on MCX, and on NCO, which OpenAlgo never squared off "
                    "(mcx_square_off_time)"},
    {.name = "SANDBOX_NCDEX_SQUARE_OFF_TIME", .group = "Sandbox", .kind = Kind::ClockTime, .default_value = "17:00",
     .description = "MIS square-off (HH:MM, IST) on NCDEX (ncdex_square_off_time)"},
    {.name = "SANDBOX_RESET_DAY", .group = "Sandbox", .kind = Kind::Choice, .default_value = "Never",
     .description = "Weekly fund reset day (reset_day): Monday..Sunday, or Never",
     .choices = "Never Monday Tuesday Wednesday Thursday Friday Saturday Sunday"},
    {.name = "SANDBOX_RESET_TIME", .group = "Sandbox", .kind = Kind::ClockTime, .default_value = "00:00",
     .description = "Time (HH:MM, IST) of the weekly fund reset (reset_time)"},
    {.name = "SANDBOX_ORDER_CHECK_INTERVAL", .group = "Sandbox", .kind = Kind::Integer, .default_value = "5",
     .description = "Seconds between price polls for resting orders while their ticks have stopped "
                    "(order_check_interval), 1..30",
     .min = 1, .max = 30},
    {.name = "SANDBOX_MTM_UPDATE_INTERVAL", .group = "Sandbox", .kind = Kind::Integer, .default_value = "5",
     .description = "Oldest price, in seconds, the books mark positions with before fetching a fresh one; 0 always "
                    "fetches (mtm_update_interval), 0..60",
     .min = 0, .max = 60},
    {.name = "SANDBOX_EXPIRY_SETTLEMENT_TIMING", .group = "Sandbox", .kind = Kind::Choice,
     .default_value = "expiry_day_close",
     .description = "When F&O contracts expire (expiry_settlement_timing): expiry_day_close (the exchange close on "
                    "expiry day) or next_day",
     .choices = "expiry_day_close next_day"},
    {.name = "SANDBOX_OPTION_EXPIRY_SETTLEMENT", .group = "Sandbox", .kind = Kind::Choice, .default_value = "ltp",
     .description = "Price expired options settle at (option_expiry_settlement): ltp (the last price) or zero",
     .choices = "ltp zero"},
    {.name = "SANDBOX_GTT_OCO_MARGIN_MODE", .group = "Sandbox", .kind = Kind::Choice, .default_value = "max",
     .description = "Margin an OCO GTT blocks (gtt_oco_margin_mode): max (its larger leg) or sum (both legs)",
     .choices = "max sum"},

    // CORS
    {.name = "CORS_ENABLED", .group = "CORS", .kind = Kind::Boolean, .default_value = "TRUE",
     .description = "Answer cross-origin requests to /api/*"},
    {.name = "CORS_ALLOWED_ORIGINS", .group = "CORS", .kind = Kind::List, .default_value = "http://127.0.0.1:5000",
     .description = "Comma-separated allowed origins"},
    {.name = "CORS_ALLOWED_METHODS", .group = "CORS", .kind = Kind::List, .default_value = "GET,POST,DELETE,PUT,PATCH",
     .description = "Comma-separated allowed methods"},
    {.name = "CORS_ALLOWED_HEADERS", .group = "CORS", .kind = Kind::List,
     .default_value = "Content-Type,Authorization,X-Requested-With",
     .description = "Comma-separated allowed request headers"},
    {.name = "CORS_EXPOSED_HEADERS", .group = "CORS", .kind = Kind::List, .default_value = "",
     .description = "Comma-separated response headers the browser may read"},
    {.name = "CORS_ALLOW_CREDENTIALS", .group = "CORS", .kind = Kind::Boolean, .default_value = "FALSE",
     .description = "Allow cookies and Authorization headers on cross-origin requests"},
    {.name = "CORS_MAX_AGE", .group = "CORS", .kind = Kind::Integer, .default_value = "86400",
     .description = "Seconds a browser may cache a preflight answer", .min = 0, .max = kMaxInt},
};

// OpenAlgo settings openalgod does not use (.sample.env 1.0.7 and variables
// its code reads), so that an OpenAlgo .env passes without warnings.
constexpr std::string_view kOpenAlgoOnlyNames[] = {
    "ENV_CONFIG_VERSION", "NGROK_ALLOW", "HOST_SERVER", "FLASK_DEBUG", "FLASK_ENV",
    "FLASK_DEBUG_ALLOW_EXTERNAL", "ENABLE_CONNECTION_POOLING", "ORDER_UPDATES_ENABLED", "ORDER_POLL_INTERVAL",
    "BROKER_CONNECTION_KEEPALIVE", "BROKER_KEEPALIVE_INTERVAL", "BROKER_KEEPALIVE_WINDOW", "LOG_FORMAT",
    "FORCE_COLOR", "CRYPTO_MASTER_CONTRACT_CUTOFF_TIME", "CSRF_ENABLED",
    "CSRF_TIME_LIMIT", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "TRUST_PROXY_HEADERS",
    "STRATEGY_MEMORY_LIMIT_MB", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS", "NUMBA_NUM_THREADS", "SHM_SIZE", "OPENALGO_GIT_BRANCH", "OPENALGO_GIT_COMMIT",
    "REFERRER_POLICY", "PERMISSIONS_POLICY", "SMTP_KEY_SALT", "TELEGRAM_KEY_SALT", "TELEGRAM_WEBHOOK_SECRET",
    "SANDBOX_ENGINE_TYPE", "SANDBOX_ENGINE_FALLBACK", "TELEGRAM_RATE_LIMIT", "TELEGRAM_MESSAGE_RATE_LIMIT",
    "WHATSAPP_RATE_LIMIT", "SIP_API_RATE_LIMIT", "PORTFOLIO_API_RATE_LIMIT", "PORTFOLIO_TEARSHEET_RATE_LIMIT",
    "STRATEGY_CHART_LIMIT", "STRATEGY_PORTFOLIO_READ_LIMIT", "STRATEGY_PORTFOLIO_WRITE_LIMIT",
    "FLOW_EXECUTION_RETENTION_DAYS", "FLOW_EXECUTION_RETENTION_COUNT",
};
constexpr std::string_view kOpenAlgoOnlyPrefixes[] = {"CSP_", "ZMQ_", "MCP_", "STRATEGY_LOG_", "HEALTH_"};
constexpr std::string_view kOpenAlgoOnlySuffix = "_DATABASE_URL";

}  // namespace

std::span<const KeySpec> all_keys() { return kKeys; }

const KeySpec* find_key(std::string_view name) {
  auto it = std::ranges::find(kKeys, name, &KeySpec::name);
  return it == std::end(kKeys) ? nullptr : &*it;
}

const KeySpec* find_key_or_alias(std::string_view name) {
  if (const KeySpec* spec = find_key(name)) return spec;
  if (name.empty()) return nullptr;
  auto it = std::ranges::find(kKeys, name, &KeySpec::alias);
  return it == std::end(kKeys) ? nullptr : &*it;
}

bool is_openalgo_only_key(std::string_view name) {
  if (std::ranges::find(kOpenAlgoOnlyNames, name) != std::end(kOpenAlgoOnlyNames)) return true;
  if (name.ends_with(kOpenAlgoOnlySuffix)) return true;
  return std::ranges::any_of(kOpenAlgoOnlyPrefixes, [name](std::string_view p) { return name.starts_with(p); });
}

bool is_plugin_setting(std::string_view name) {
  const KeySpec* brokers = find_key("VALID_BROKERS");
  std::string_view list = brokers->default_value;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string prefix(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    for (auto& c : prefix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    prefix += '_';
    if (name.size() > prefix.size() && name.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace oa::config
