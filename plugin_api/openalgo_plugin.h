/*
 * openalgo_plugin.h — the broker plugin ABI of openalgod, version 1.2.
 *
 * A broker plugin is a shared library that exports one symbol,
 * OA_PLUGIN_ENTRY_SYMBOL. The host calls it once after loading, passing its
 * service table (oa_host_api); the plugin returns its own table
 * (oa_plugin_api), which must stay valid until the library is unloaded.
 *
 * This header is the contract. It is C99: no C++ types, no exceptions, no
 * STL cross it. Naming shows direction:
 *   oa_host_api.*   functions the host implements and the plugin calls;
 *   oa_plugin_api.* functions the plugin implements and the host calls;
 *   oa_*            plain data types.
 *
 * Versioning. Both tables start with struct_size, abi_major and abi_minor.
 * Fields are only ever appended, and each append bumps the minor version. A
 * side reads a field only when the other side's struct_size covers it, so a
 * plugin built for an older minor loads on a newer host. A different major, or
 * a different build fingerprint (pointer size, byte order), is refused at load
 * with a log line naming the plugin, its version and the host's.
 *
 * Memory. Nothing is freed across the boundary:
 *   - oa_str arguments are borrowed: valid only during the call they are
 *     passed to, unless a comment says otherwise. Copy what you keep.
 *   - Results and error messages are handed to the host through oa_result:
 *     the host copies the bytes, the plugin keeps ownership of its buffer.
 *   - Data the host hands back inside a callback (HTTP response, instrument
 *     row, WebSocket message) is borrowed for the duration of that callback.
 *   - The tables and the manifest are static data owned by the plugin.
 *
 * Threads. The host calls create/destroy on its control thread, never while
 * an operation of that instance runs. Operations (place_order ... depth,
 * subscribe) run on the host's worker pool, possibly several at once: an
 * instance must be safe for concurrent operation calls. Operations may block
 * (network I/O through oa_host_api.http_request) but must respect
 * oa_call.deadline_ms; the host answers the client with a timeout at the
 * deadline whether or not the plugin has returned. Host services may be
 * called from any thread the host gave the plugin (operations, timers,
 * WebSocket callbacks). A plugin should not start threads of its own; if it
 * does, it must join them in destroy.
 *
 * Documents. Operations exchange OpenAlgo's canonical JSON documents (UTF-8),
 * described per operation below with the REST endpoint they serve
 * (see docs/plugin-abi.md). The host validates every request against
 * OpenAlgo's schema before it reaches a plugin, strips "apikey", and applies
 * defaults, so a plugin sees only well-formed input in OpenAlgo's vocabulary.
 */
#ifndef OPENALGO_PLUGIN_H
#define OPENALGO_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OA_PLUGIN_ABI_MAJOR 1
#define OA_PLUGIN_ABI_MINOR 2
#define OA_PLUGIN_ENTRY_SYMBOL "openalgo_plugin_entry"

#define OA_PLUGIN_STRINGIFY_(x) #x
#define OA_PLUGIN_STRINGIFY(x) OA_PLUGIN_STRINGIFY_(x)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define OA_PLUGIN_BYTE_ORDER "be"
#else
#define OA_PLUGIN_BYTE_ORDER "le"
#endif
/* What must match between host and plugin beyond the version: compared as a
 * string at load, before any other field is read. */
#define OA_PLUGIN_BUILD_FINGERPRINT \
  "oa-abi-" OA_PLUGIN_STRINGIFY(OA_PLUGIN_ABI_MAJOR) ";ptr" OA_PLUGIN_STRINGIFY(__SIZEOF_POINTER__) ";" OA_PLUGIN_BYTE_ORDER

/* ------------------------------------------------------------------------ */
/* Plain data                                                                */

/* A borrowed byte string: not NUL-terminated unless a comment says so. */
typedef struct oa_str {
  const char* ptr;
  size_t len;
} oa_str;

typedef enum oa_status {
  OA_OK = 0,
  OA_ERR_INVALID_ARGUMENT = 1, /* the request cannot be served as given (400) */
  OA_ERR_NOT_SUPPORTED = 2,    /* the broker lacks this operation (501) */
  OA_ERR_AUTH = 3,             /* no session, or the broker refused the token (401/403) */
  OA_ERR_BROKER = 4,           /* the broker answered with an error; message is its text (500) */
  OA_ERR_UPSTREAM = 5,         /* network failure or timeout talking to the broker (502/504) */
  OA_ERR_NOT_FOUND = 6,        /* unknown symbol, order, ... (404) */
  OA_ERR_RATE_LIMITED = 7,     /* the broker's limit was reached; retry later (429) */
  OA_ERR_INTERNAL = 8          /* a bug in the plugin; the host logs it (500) */
} oa_status;

typedef enum oa_log_level {
  OA_LOG_DEBUG = 0,
  OA_LOG_INFO = 1,
  OA_LOG_WARNING = 2,
  OA_LOG_ERROR = 3
} oa_log_level;

typedef enum oa_auth_style {
  OA_AUTH_NONE = 0,        /* no login (the simulator) */
  OA_AUTH_OAUTH = 1,       /* browser redirect; the callback carries a code */
  OA_AUTH_CREDENTIALS = 2, /* client id + password/PIN + TOTP, entered by the user */
  OA_AUTH_API_KEY = 3      /* BROKER_API_KEY / BROKER_API_SECRET only */
} oa_auth_style;

/* Capability bits of oa_manifest.capabilities. Each bit promises the
 * oa_plugin_api functions listed beside it are non-NULL; the host checks. */
enum {
  OA_CAP_ORDERS = 1u << 0,             /* place_order, modify_order, cancel_order */
  OA_CAP_SMART_ORDER = 1u << 1,        /* place_smart_order (native; else the host computes it) */
  OA_CAP_BOOKS = 1u << 2,              /* order_book, trade_book, positions, holdings */
  OA_CAP_FUNDS = 1u << 3,              /* funds */
  OA_CAP_MARGIN = 1u << 4,             /* margin */
  OA_CAP_QUOTES = 1u << 5,             /* quotes */
  OA_CAP_MULTIQUOTES = 1u << 6,        /* multiquotes (native batch; else the host loops quotes) */
  OA_CAP_DEPTH = 1u << 7,              /* depth */
  OA_CAP_HISTORY = 1u << 8,            /* history; intervals listed in oa_manifest.intervals */
  OA_CAP_MASTER_CONTRACT = 1u << 9,    /* master_contract */
  OA_CAP_MARKET_STREAM = 1u << 10,     /* subscribe, unsubscribe; ticks through emit_tick */
  OA_CAP_ORDER_STREAM = 1u << 11,      /* order_stream_open, order_stream_close (ABI 1.2); updates through emit_order_update */
  OA_CAP_GTT = 1u << 12,               /* gtt_place, gtt_modify, gtt_cancel, gtt_book */
  OA_CAP_CANCEL_ALL = 1u << 13,        /* cancel_all_orders (native; else the host loops) */
  OA_CAP_CLOSE_ALL = 1u << 14          /* close_all_positions (native; else the host loops) */
};

typedef struct oa_manifest {
  uint32_t struct_size;          /* sizeof(oa_manifest) as the plugin was built */
  const char* id;                /* lower-case broker id, e.g. "zerodha"; the callback path is /<id>/callback */
  const char* display_name;      /* e.g. "Zerodha" */
  const char* version;           /* the plugin's own version, e.g. "1.2.0" */
  oa_auth_style auth_style;
  const char* const* config_keys; /* NULL-terminated list of settings it reads, e.g. "ZERODHA_API_URL" */
  uint64_t capabilities;          /* OA_CAP_* bits */
  const char* const* intervals;   /* NULL-terminated OpenAlgo history intervals ("1m", "D"), or NULL */
} oa_manifest;

/* One row of the instrument master, in OpenAlgo's symbology (the symtoken
 * table). Strings are borrowed for the call they appear in. */
typedef struct oa_instrument {
  oa_str symbol;         /* OpenAlgo symbol, e.g. "NIFTY28NOV24FUT" */
  oa_str brsymbol;       /* the broker's trading symbol */
  oa_str name;           /* underlying or company name */
  oa_str exchange;       /* OpenAlgo exchange: NSE BSE NFO BFO CDS BCD MCX NSE_INDEX BSE_INDEX ... */
  oa_str brexchange;     /* the broker's exchange code */
  oa_str token;          /* the broker's instrument token */
  oa_str expiry;         /* "DD-MMM-YY" or empty */
  oa_str instrumenttype; /* EQ FUT CE PE INDEX ... */
  double strike;         /* 0 when not an option */
  int64_t lotsize;
  double tick_size;
  double contract_value; /* 0 when not applicable */
} oa_instrument;

typedef enum oa_stream_mode {
  OA_MODE_LTP = 1,
  OA_MODE_QUOTE = 2,
  OA_MODE_DEPTH = 3
} oa_stream_mode;

typedef struct oa_subscription {
  oa_str symbol;   /* OpenAlgo symbol */
  oa_str exchange; /* OpenAlgo exchange */
  oa_str token;    /* broker token, resolved by the host from the instrument table */
  oa_stream_mode mode;
} oa_subscription;

typedef struct oa_depth_level {
  double price;
  int64_t quantity;
  int64_t orders;
} oa_depth_level;

#define OA_DEPTH_LEVELS 5

/* One market-data update. Fixed layout: the host fans it out without parsing.
 * Fields beyond `mode` are filled as far as the mode carries them; the rest
 * are zero. Prices are in rupees (never paise). */
typedef struct oa_tick {
  uint32_t struct_size;     /* sizeof(oa_tick) as the plugin was built */
  oa_stream_mode mode;
  oa_str symbol;            /* OpenAlgo symbol (may be empty if token is set) */
  oa_str exchange;          /* OpenAlgo exchange */
  oa_str token;             /* broker token (may be empty if symbol is set) */
  int64_t exchange_time_ms; /* exchange timestamp, Unix epoch milliseconds */
  double ltp;
  int64_t ltq;
  double open, high, low, close; /* close = previous day's close */
  double average_price;
  int64_t volume;
  int64_t oi;
  int64_t total_buy_quantity, total_sell_quantity;
  double upper_circuit, lower_circuit;
  oa_depth_level bids[OA_DEPTH_LEVELS]; /* best first; QUOTE fills bids[0]/asks[0] */
  oa_depth_level asks[OA_DEPTH_LEVELS];
} oa_tick;

/* The broker session the host stores (encrypted) for the user, passed to
 * every operation. Borrowed for the call. */
typedef struct oa_session {
  oa_str auth_token;     /* as the plugin returned it from authenticate */
  oa_str feed_token;
  oa_str broker_user_id;
} oa_session;

typedef struct oa_call {
  uint32_t struct_size;
  int64_t deadline_ms; /* Unix epoch ms; give up and return OA_ERR_UPSTREAM after it */
  oa_session session;
} oa_call;

/* ------------------------------------------------------------------------ */
/* Host services                                                             */

typedef struct oa_host oa_host;     /* the host's handle for one plugin instance; opaque */
typedef struct oa_result oa_result; /* where an operation writes its answer; opaque, host-owned */

typedef struct oa_header {
  oa_str name;
  oa_str value;
} oa_header;

typedef struct oa_http_request {
  oa_str method;          /* "GET", "POST", ... */
  oa_str url;             /* absolute http:// or https:// URL */
  const oa_header* headers;
  size_t header_count;
  oa_str body;
  int64_t deadline_ms;    /* Unix epoch ms; 0 = the host's default timeout */
} oa_http_request;

typedef struct oa_http_response {
  int status;             /* HTTP status code */
  const oa_header* headers;
  size_t header_count;
  oa_str body;
} oa_http_response;

/* Called once with the response, on the thread that called http_request,
 * before http_request returns. Everything in `response` is borrowed for the call. */
typedef void (*oa_http_response_fn)(void* user, const oa_http_response* response);
/* Called with one instrument row; return 0 to continue, non-zero to stop. */
typedef int (*oa_instrument_fn)(void* user, const oa_instrument* instrument);
/* Called on a host worker thread each period until stopped. */
typedef void (*oa_timer_fn)(void* user);

typedef struct oa_ws oa_ws; /* an upstream WebSocket connection; opaque, host-owned */

typedef struct oa_ws_callbacks {
  void* user;
  /* All called on a host network thread, one at a time per connection. Data
   * is borrowed for the call. After on_close nothing more is called. */
  void (*on_open)(void* user, oa_ws* ws);
  void (*on_message)(void* user, oa_ws* ws, int is_binary, oa_str data);
  void (*on_close)(void* user, oa_ws* ws, int code, oa_str reason);
} oa_ws_callbacks;

typedef struct oa_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const char* build_fingerprint; /* OA_PLUGIN_BUILD_FINGERPRINT as the host was built */

  /* Logs through the host's logger and its secret redaction. Any thread. */
  void (*log)(oa_host* host, oa_log_level level, oa_str message);

  /* A setting's value (the plugin's config_keys and the broker settings
   * BROKER_API_KEY, BROKER_API_SECRET, REDIRECT_URL ...), or {NULL, 0} when
   * unset. The bytes stay valid until destroy. Any thread. */
  oa_str (*config_get)(oa_host* host, const char* key);

  /* Answer of the current operation: a JSON document ... */
  void (*result_json)(oa_result* result, oa_str json);
  /* ... or an error message a person can act on (the broker's own text
   * where there is one). The host copies both. */
  void (*result_error)(oa_result* result, oa_status status, oa_str message);

  /* HTTP(S) with a keep-alive connection pool per upstream, TLS verified
   * against the system's trust store. Blocks until the response, an error or
   * the deadline. Returns OA_OK after calling on_response once (any HTTP
   * status), OA_ERR_UPSTREAM on connection failure or timeout, having written
   * a NUL-terminated description into the plugin's buffer `error`
   * (`error_size` bytes, truncated to fit; may be NULL). Call from operation
   * or timer threads, not from WebSocket callbacks. */
  oa_status (*http_request)(oa_host* host, const oa_http_request* request, oa_http_response_fn on_response,
                            void* user, char* error, size_t error_size);

  /* Looks an instrument up in the host's table, which the master contract
   * filled. `key` is an OpenAlgo symbol (by = 0), a broker token (by = 1) or a
   * broker symbol (by = 2), with its OpenAlgo exchange. Calls `fn` with the
   * row and returns OA_OK, or OA_ERR_NOT_FOUND. Any thread. */
  oa_status (*instrument_lookup)(oa_host* host, int by, oa_str key, oa_str exchange, oa_instrument_fn fn,
                                 void* user);

  /* During master_contract only: adds one row to the download in progress.
   * `sink` is the one master_contract received. */
  void (*instrument_add)(oa_result* sink, const oa_instrument* instrument);

  /* Publishes a market-data update to subscribers. Any thread; the host
   * copies what it needs before returning and never blocks on clients. */
  void (*emit_tick)(oa_host* host, const oa_tick* tick);

  /* Publishes an order-status change of the broker account whose order
   * stream is open (OA_CAP_ORDER_STREAM), as OpenAlgo's order_update fields
   * (websocket.md §2.3.6): {"orderid", "symbol", "exchange", "action",
   * "quantity", "price", "trigger_price", "pricetype", "product",
   * "order_status" (lower-case: open, trigger pending, complete, rejected,
   * cancelled), "filled_quantity", "pending_quantity", "average_price",
   * "rejection_reason"}. The host adds type, user_id, mode and broker, and
   * sends a repeated (orderid, order_status, filled_quantity) once. Any thread. */
  void (*emit_order_update)(oa_host* host, oa_str json);

  /* Unix epoch milliseconds (the host may run a test clock). Any thread. */
  int64_t (*now_ms)(oa_host* host);

  /* Calls fn(user) every period_ms on a worker thread, never twice at once,
   * until timer_stop or destroy (the host stops every timer of an instance
   * before calling destroy). Returns a timer id > 0, or 0 on failure. */
  uint64_t (*timer_start)(oa_host* host, uint32_t period_ms, oa_timer_fn fn, void* user);
  /* Stops a timer; after it returns, fn is not running and will not run. Not
   * from inside that timer's own fn. */
  void (*timer_stop)(oa_host* host, uint64_t timer_id);

  /* Opens an upstream WebSocket (ws:// or wss://) with extra request headers.
   * Returns at once; the outcome arrives through the callbacks. The connection
   * belongs to the host and is closed at destroy if still open. */
  oa_ws* (*ws_connect)(oa_host* host, oa_str url, const oa_header* headers, size_t header_count,
                       const oa_ws_callbacks* callbacks);
  /* Queues a message; returns OA_ERR_UPSTREAM if the connection is closed. */
  oa_status (*ws_send)(oa_ws* ws, int is_binary, oa_str data);
  /* Starts a close; on_close follows. */
  void (*ws_close)(oa_ws* ws);

  /* ABI 1.1. The plugin reports the state of its upstream market-data
   * connection: connected = 1 once its feed is open and authenticated, 0
   * when it lost it (reason says why, borrowed for the call). After a 0 the
   * host re-subscribes every key it holds for this instance, with backoff
   * and jitter, by calling subscribe again; a plugin whose feed connection is
   * closed opens a new one inside subscribe. Any thread.
   * Host liveness: if a feed is silent past FEED_SILENCE_SECONDS during
   * market hours, the host treats it as lost: it calls unsubscribe for every
   * key it holds, then subscribe again (the same backoff path). So a plugin
   * closes its feed socket when its last key is unsubscribed and opens one in
   * subscribe when none is open. Check the host's struct_size before calling
   * (a 1.0 host lacks this field); the SDK's report_stream does. */
  void (*stream_status)(oa_host* host, int connected, oa_str reason);
} oa_host_api;

/* ------------------------------------------------------------------------ */
/* Plugin operations                                                         */

typedef struct oa_plugin oa_plugin; /* the plugin's instance; opaque to the host */

/* The shape of every document operation: read `request` (JSON, borrowed),
 * write the answer through host_api->result_json or ->result_error into
 * `result`, return the status. OA_OK without result_json answers "{}". */
typedef oa_status (*oa_operation)(oa_plugin* self, const oa_call* call, oa_str request, oa_result* result);

typedef struct oa_plugin_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const char* build_fingerprint; /* OA_PLUGIN_BUILD_FINGERPRINT as the plugin was built */
  const oa_manifest* manifest;

  /* Makes an instance. `host` identifies it in every host service call and
   * stays valid until destroy returns. On failure return non-OK and describe
   * it with host_api->result_error(error, ...). Control thread. */
  oa_status (*create)(oa_host* host, oa_plugin** instance, oa_result* error);
  /* Releases everything the instance holds. Control thread; no operation,
   * timer or WebSocket callback of the instance runs during or after it. */
  void (*destroy)(oa_plugin* instance);

  /* Login. request {"code": "...", ...the callback's query or form fields};
   * answer {"auth_token": "...", "feed_token": "...", "broker_user_id": "..."}.
   * `call->session` is empty. */
  oa_operation authenticate;

  /* Orders (OA_CAP_ORDERS). place_order: request = /placeorder body
   * {strategy, symbol, exchange, action, quantity, pricetype, product, price,
   * trigger_price, disclosed_quantity}; answer {"orderid": "..."}.
   * modify_order: /modifyorder body; answer {"orderid": "..."}.
   * cancel_order: {"orderid": "..."}; answer {"orderid": "..."}. */
  oa_operation place_order;
  oa_operation modify_order;
  oa_operation cancel_order;
  /* OA_CAP_SMART_ORDER: /placesmartorder body with position_size; answer
   * {"orderid": "..."} or {"message": "...No action needed..."}. */
  oa_operation place_smart_order;
  /* OA_CAP_CANCEL_ALL: request {}; answer {"canceled_orders": [...], "failed_cancellations": [...]}. */
  oa_operation cancel_all_orders;
  /* OA_CAP_CLOSE_ALL: request {}; answer {"message": "..."}. */
  oa_operation close_all_positions;

  /* Books (OA_CAP_BOOKS): request {}; answers are OpenAlgo's normalised
   * rows: order_book {"orders": [...]}, trade_book [...], positions [...],
   * holdings {"holdings": [...]} (statistics are computed by the host). */
  oa_operation order_book;
  oa_operation trade_book;
  oa_operation positions;
  oa_operation holdings;
  /* OA_CAP_FUNDS: answer {availablecash, collateral, m2munrealized, m2mrealized, utiliseddebits}. */
  oa_operation funds;
  /* OA_CAP_MARGIN: request {"positions": [...]}; answer as /margin's data. */
  oa_operation margin;

  /* Market data. quotes: {symbol, exchange} -> {ask, bid, high, low, ltp,
   * open, prev_close, volume, oi}. multiquotes: {"symbols": [{symbol,
   * exchange}]} -> {"results": [{symbol, exchange, data} | {symbol, exchange,
   * error}]}. depth: {symbol, exchange} -> {bids[5], asks[5], high, low, ltp,
   * ltq, oi, open, prev_close, totalbuyqty, totalsellqty, volume}. history:
   * {symbol, exchange, interval, start_date, end_date} -> {"candles":
   * [{timestamp, open, high, low, close, volume, oi}]}, timestamps in epoch
   * seconds (daily bars at 00:00 UTC of the trading date). */
  oa_operation quotes;
  oa_operation multiquotes;
  oa_operation depth;
  oa_operation history;

  /* OA_CAP_MASTER_CONTRACT: downloads the broker's instrument file and adds
   * every row with host_api->instrument_add(result, row). Answer {"count": N}.
   * The host swaps the new table in only if this returns OA_OK with rows. */
  oa_operation master_contract;

  /* OA_CAP_MARKET_STREAM: typed arrays rather than documents, since the
   * host calls these per (token, mode) it reference-counts. Return OA_OK only
   * once the upstream accepted the items; ticks then flow through emit_tick.
   * The host calls subscribe again with the same items after a reload or a
   * reconnect. A plugin never receives a duplicate (token, mode). */
  oa_status (*subscribe)(oa_plugin* self, const oa_call* call, const oa_subscription* items, size_t count,
                         oa_result* result);
  oa_status (*unsubscribe)(oa_plugin* self, const oa_call* call, const oa_subscription* items, size_t count,
                           oa_result* result);

  /* OA_CAP_GTT: the /placegttorder, /modifygttorder, /cancelgttorder and
   * /gttorderbook bodies and data. */
  oa_operation gtt_place;
  oa_operation gtt_modify;
  oa_operation gtt_cancel;
  oa_operation gtt_book;

  /* ABI 1.2. OA_CAP_ORDER_STREAM: the broker's order-update stream of the
   * account in `call->session`. The host calls order_stream_open (request {})
   * when the first WebSocket client of a user on this broker asks for order
   * updates, and order_stream_close when the last such client stops or
   * leaves. Between the two the plugin keeps its upstream order connection
   * open (reconnecting by itself, with backoff, while it is wanted) and
   * publishes every change through emit_order_update. open returns once the
   * connection is started (its outcome is logged, not awaited); both answer
   * {}. The host reads these fields only when struct_size covers them. */
  oa_operation order_stream_open;
  oa_operation order_stream_close;
} oa_plugin_api;

/* The one exported symbol. Called once per load, before anything else, with
 * the host's table (valid until unload). Returns the plugin's static table,
 * or NULL when it cannot work with this host (e.g. the host's minor version
 * lacks a service it needs); the host reports the refusal. */
typedef const oa_plugin_api* (*oa_plugin_entry_fn)(const oa_host_api* host_api);

#ifdef __cplusplus
}
#endif

#endif /* OPENALGO_PLUGIN_H */
