#include "store/migrations.hpp"

#include "store/native_sql.hpp"
#include "store/transaction.hpp"

#include <soci/soci.h>

#include <stdexcept>
#include <string>

namespace oa::store {
namespace {

// Timestamps are UTC ISO-8601 text with milliseconds, e.g.
// 2025-01-31T09:15:00.123Z, in both dialects: one representation whose text
// order is time order, read the same way from either database. Column
// defaults set them, so every timestamp comes from the database's clock.
//
// A released migration never changes: later schema changes are new entries
// appended to kMigrations, each with the next version number.

constexpr std::string_view kSqliteV1 = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  username      TEXT    NOT NULL UNIQUE,
  password_hash TEXT    NOT NULL,
  is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
  created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE api_keys (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id       INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  key_hash      TEXT    NOT NULL UNIQUE,
  key_encrypted TEXT    NOT NULL,
  order_mode    TEXT    NOT NULL DEFAULT 'auto',
  created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE broker_auth (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  broker               TEXT    NOT NULL,
  auth_encrypted       TEXT    NOT NULL,
  feed_token_encrypted TEXT,
  broker_user_id       TEXT,
  aux_encrypted        TEXT,
  is_revoked           BOOLEAN NOT NULL DEFAULT FALSE,
  updated_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (user_id, broker)
);

CREATE TABLE instruments (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  symbol         TEXT NOT NULL,
  brsymbol       TEXT NOT NULL,
  name           TEXT,
  exchange       TEXT,
  brexchange     TEXT,
  token          TEXT,
  expiry         TEXT,
  strike         REAL,
  lotsize        INTEGER,
  instrumenttype TEXT,
  tick_size      REAL,
  contract_value REAL,
  broker         TEXT NOT NULL
);
CREATE INDEX instruments_symbol_exchange   ON instruments (symbol, exchange);
CREATE INDEX instruments_symbol_name       ON instruments (symbol, name);
CREATE INDEX instruments_brsymbol_exchange ON instruments (brsymbol, exchange);
CREATE INDEX instruments_token             ON instruments (token);
CREATE INDEX instruments_exchange          ON instruments (exchange);
CREATE INDEX instruments_broker            ON instruments (broker, id);

CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor  TEXT,
  action TEXT NOT NULL,
  detail TEXT
);
)sql";

constexpr std::string_view kPostgresV1 = R"sql(
CREATE TABLE users (
  id            BIGSERIAL PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE,
  password_hash TEXT    NOT NULL,
  is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
  created_at    TEXT    NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
);

CREATE TABLE api_keys (
  id            BIGSERIAL PRIMARY KEY,
  user_id       BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  key_hash      TEXT   NOT NULL UNIQUE,
  key_encrypted TEXT   NOT NULL,
  order_mode    TEXT   NOT NULL DEFAULT 'auto',
  created_at    TEXT   NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
);

CREATE TABLE broker_auth (
  id                   BIGSERIAL PRIMARY KEY,
  user_id              BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  broker               TEXT    NOT NULL,
  auth_encrypted       TEXT    NOT NULL,
  feed_token_encrypted TEXT,
  broker_user_id       TEXT,
  aux_encrypted        TEXT,
  is_revoked           BOOLEAN NOT NULL DEFAULT FALSE,
  updated_at           TEXT    NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  UNIQUE (user_id, broker)
);

CREATE TABLE instruments (
  id             BIGSERIAL PRIMARY KEY,
  symbol         TEXT NOT NULL,
  brsymbol       TEXT NOT NULL,
  name           TEXT,
  exchange       TEXT,
  brexchange     TEXT,
  token          TEXT,
  expiry         TEXT,
  strike         DOUBLE PRECISION,
  lotsize        INTEGER,
  instrumenttype TEXT,
  tick_size      DOUBLE PRECISION,
  contract_value DOUBLE PRECISION,
  broker         TEXT NOT NULL
);
CREATE INDEX instruments_symbol_exchange   ON instruments (symbol, exchange);
CREATE INDEX instruments_symbol_name       ON instruments (symbol, name);
CREATE INDEX instruments_brsymbol_exchange ON instruments (brsymbol, exchange);
CREATE INDEX instruments_token             ON instruments (token);
CREATE INDEX instruments_exchange          ON instruments (exchange);
CREATE INDEX instruments_broker            ON instruments (broker, id);

CREATE TABLE audit_log (
  id     BIGSERIAL PRIMARY KEY,
  at     TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  actor  TEXT,
  action TEXT NOT NULL,
  detail TEXT
);
)sql";

// The order journal: every order-changing request, written before it is sent
// and completed with its outcome, so nothing is sent twice (see
// core/orders/order_journal.hpp).
constexpr std::string_view kSqliteV2 = R"sql(
CREATE TABLE order_journal (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  broker          TEXT    NOT NULL,
  mode            TEXT    NOT NULL,
  operation       TEXT    NOT NULL,
  client_order_id TEXT,
  request         TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  http_status     INTEGER,
  response        TEXT,
  broker_orderid  TEXT,
  note            TEXT,
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (user_id, client_order_id)
);
CREATE INDEX order_journal_state ON order_journal (state);
)sql";

constexpr std::string_view kPostgresV2 = R"sql(
CREATE TABLE order_journal (
  id              BIGSERIAL PRIMARY KEY,
  user_id         BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  broker          TEXT    NOT NULL,
  mode            TEXT    NOT NULL,
  operation       TEXT    NOT NULL,
  client_order_id TEXT,
  request         TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  http_status     INTEGER,
  response        TEXT,
  broker_orderid  TEXT,
  note            TEXT,
  created_at      TEXT    NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  updated_at      TEXT    NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  UNIQUE (user_id, client_order_id)
);
CREATE INDEX order_journal_state ON order_journal (state);
)sql";

// The sandbox (analyze mode): paper orders, trades, positions, holdings and
// funds per user (see core/sandbox/sandbox_store.hpp). Money columns hold
// whole paise so the ledger adds up exactly; timestamps come from the
// engine's clock, not the database's, so schedules can be tested.
constexpr std::string_view kSqliteV3 = R"sql(
CREATE TABLE sandbox_orders (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  orderid              TEXT    NOT NULL UNIQUE,
  user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy             TEXT    NOT NULL,
  symbol               TEXT    NOT NULL,
  exchange             TEXT    NOT NULL,
  action               TEXT    NOT NULL CHECK (action IN ('BUY', 'SELL')),
  quantity             REAL    NOT NULL,
  price                REAL    NOT NULL,
  trigger_price        REAL    NOT NULL,
  pricetype            TEXT    NOT NULL CHECK (pricetype IN ('MARKET', 'LIMIT', 'SL', 'SL-M')),
  product              TEXT    NOT NULL CHECK (product IN ('CNC', 'NRML', 'MIS')),
  status               TEXT    NOT NULL
                       CHECK (status IN ('open', 'trigger pending', 'complete', 'cancelled', 'rejected')),
  average_price        REAL    NOT NULL,
  filled_quantity      REAL    NOT NULL,
  pending_quantity     REAL    NOT NULL,
  rejection_reason     TEXT    NOT NULL,
  margin_blocked_paise INTEGER NOT NULL,
  created_at           TEXT    NOT NULL,
  updated_at           TEXT    NOT NULL
);
CREATE INDEX sandbox_orders_user_created ON sandbox_orders (user_id, created_at);
CREATE INDEX sandbox_orders_status ON sandbox_orders (status);

CREATE TABLE sandbox_trades (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  tradeid    TEXT    NOT NULL UNIQUE,
  orderid    TEXT    NOT NULL UNIQUE REFERENCES sandbox_orders (orderid) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  symbol     TEXT    NOT NULL,
  exchange   TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  quantity   REAL    NOT NULL,
  price      REAL    NOT NULL,
  product    TEXT    NOT NULL,
  strategy   TEXT    NOT NULL,
  created_at TEXT    NOT NULL
);
CREATE INDEX sandbox_trades_user_created ON sandbox_trades (user_id, created_at);

CREATE TABLE sandbox_positions (
  id                       INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id                  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  symbol                   TEXT    NOT NULL,
  exchange                 TEXT    NOT NULL,
  product                  TEXT    NOT NULL,
  quantity                 REAL    NOT NULL,
  average_price            REAL    NOT NULL,
  ltp                      REAL    NOT NULL,
  margin_blocked_paise     INTEGER NOT NULL,
  realized_pnl_paise       INTEGER NOT NULL,
  today_realized_pnl_paise INTEGER NOT NULL,
  opened_at                TEXT    NOT NULL,
  updated_at               TEXT    NOT NULL,
  UNIQUE (user_id, symbol, exchange, product)
);

CREATE TABLE sandbox_holdings (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  symbol          TEXT    NOT NULL,
  exchange        TEXT    NOT NULL,
  quantity        REAL    NOT NULL,
  average_price   REAL    NOT NULL,
  invested_paise  INTEGER NOT NULL,
  ltp             REAL    NOT NULL,
  settlement_date TEXT    NOT NULL,
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL,
  UNIQUE (user_id, symbol, exchange)
);

CREATE TABLE sandbox_funds (
  user_id                  INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  total_capital_paise      INTEGER NOT NULL,
  available_paise          INTEGER NOT NULL,
  used_margin_paise        INTEGER NOT NULL,
  realized_pnl_paise       INTEGER NOT NULL,
  today_realized_pnl_paise INTEGER NOT NULL,
  last_reset_at            TEXT    NOT NULL,
  reset_count              INTEGER NOT NULL
);

CREATE TABLE sandbox_daily_pnl (
  id                             INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id                        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  date                           TEXT    NOT NULL,
  realized_pnl_paise             INTEGER NOT NULL,
  positions_unrealized_pnl_paise INTEGER NOT NULL,
  holdings_unrealized_pnl_paise  INTEGER NOT NULL,
  total_mtm_paise                INTEGER NOT NULL,
  available_paise                INTEGER NOT NULL,
  used_margin_paise              INTEGER NOT NULL,
  portfolio_value_paise          INTEGER NOT NULL,
  UNIQUE (user_id, date)
);

CREATE TABLE sandbox_schedule (
  job         TEXT PRIMARY KEY,
  last_run_at TEXT NOT NULL
);
)sql";

constexpr std::string_view kPostgresV3 = R"sql(
CREATE TABLE sandbox_orders (
  id                   BIGSERIAL PRIMARY KEY,
  orderid              TEXT             NOT NULL UNIQUE,
  user_id              BIGINT           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy             TEXT             NOT NULL,
  symbol               TEXT             NOT NULL,
  exchange             TEXT             NOT NULL,
  action               TEXT             NOT NULL CHECK (action IN ('BUY', 'SELL')),
  quantity             DOUBLE PRECISION NOT NULL,
  price                DOUBLE PRECISION NOT NULL,
  trigger_price        DOUBLE PRECISION NOT NULL,
  pricetype            TEXT             NOT NULL CHECK (pricetype IN ('MARKET', 'LIMIT', 'SL', 'SL-M')),
  product              TEXT             NOT NULL CHECK (product IN ('CNC', 'NRML', 'MIS')),
  status               TEXT             NOT NULL
                       CHECK (status IN ('open', 'trigger pending', 'complete', 'cancelled', 'rejected')),
  average_price        DOUBLE PRECISION NOT NULL,
  filled_quantity      DOUBLE PRECISION NOT NULL,
  pending_quantity     DOUBLE PRECISION NOT NULL,
  rejection_reason     TEXT             NOT NULL,
  margin_blocked_paise BIGINT           NOT NULL,
  created_at           TEXT             NOT NULL,
  updated_at           TEXT             NOT NULL
);
CREATE INDEX sandbox_orders_user_created ON sandbox_orders (user_id, created_at);
CREATE INDEX sandbox_orders_status ON sandbox_orders (status);

CREATE TABLE sandbox_trades (
  id         BIGSERIAL PRIMARY KEY,
  tradeid    TEXT             NOT NULL UNIQUE,
  orderid    TEXT             NOT NULL UNIQUE REFERENCES sandbox_orders (orderid) ON DELETE CASCADE,
  user_id    BIGINT           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  symbol     TEXT             NOT NULL,
  exchange   TEXT             NOT NULL,
  action     TEXT             NOT NULL,
  quantity   DOUBLE PRECISION NOT NULL,
  price      DOUBLE PRECISION NOT NULL,
  product    TEXT             NOT NULL,
  strategy   TEXT             NOT NULL,
  created_at TEXT             NOT NULL
);
CREATE INDEX sandbox_trades_user_created ON sandbox_trades (user_id, created_at);

CREATE TABLE sandbox_positions (
  id                       BIGSERIAL PRIMARY KEY,
  user_id                  BIGINT           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  symbol                   TEXT             NOT NULL,
  exchange                 TEXT             NOT NULL,
  product                  TEXT             NOT NULL,
  quantity                 DOUBLE PRECISION NOT NULL,
  average_price            DOUBLE PRECISION NOT NULL,
  ltp                      DOUBLE PRECISION NOT NULL,
  margin_blocked_paise     BIGINT           NOT NULL,
  realized_pnl_paise       BIGINT           NOT NULL,
  today_realized_pnl_paise BIGINT           NOT NULL,
  opened_at                TEXT             NOT NULL,
  updated_at               TEXT             NOT NULL,
  UNIQUE (user_id, symbol, exchange, product)
);

CREATE TABLE sandbox_holdings (
  id              BIGSERIAL PRIMARY KEY,
  user_id         BIGINT           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  symbol          TEXT             NOT NULL,
  exchange        TEXT             NOT NULL,
  quantity        DOUBLE PRECISION NOT NULL,
  average_price   DOUBLE PRECISION NOT NULL,
  invested_paise  BIGINT           NOT NULL,
  ltp             DOUBLE PRECISION NOT NULL,
  settlement_date TEXT             NOT NULL,
  created_at      TEXT             NOT NULL,
  updated_at      TEXT             NOT NULL,
  UNIQUE (user_id, symbol, exchange)
);

CREATE TABLE sandbox_funds (
  user_id                  BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  total_capital_paise      BIGINT NOT NULL,
  available_paise          BIGINT NOT NULL,
  used_margin_paise        BIGINT NOT NULL,
  realized_pnl_paise       BIGINT NOT NULL,
  today_realized_pnl_paise BIGINT NOT NULL,
  last_reset_at            TEXT   NOT NULL,
  reset_count              BIGINT NOT NULL
);

CREATE TABLE sandbox_daily_pnl (
  id                             BIGSERIAL PRIMARY KEY,
  user_id                        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  date                           TEXT   NOT NULL,
  realized_pnl_paise             BIGINT NOT NULL,
  positions_unrealized_pnl_paise BIGINT NOT NULL,
  holdings_unrealized_pnl_paise  BIGINT NOT NULL,
  total_mtm_paise                BIGINT NOT NULL,
  available_paise                BIGINT NOT NULL,
  used_margin_paise              BIGINT NOT NULL,
  portfolio_value_paise          BIGINT NOT NULL,
  UNIQUE (user_id, date)
);

CREATE TABLE sandbox_schedule (
  job         TEXT PRIMARY KEY,
  last_run_at TEXT NOT NULL
);
)sql";

// Sandbox GTT orders (reference sandbox.md §8, §10). A leg's orderid is the
// child order it placed when it fired, unique, so a leg fires at most once.
constexpr std::string_view kSqliteV4 = R"sql(
CREATE TABLE sandbox_gtt (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  gtt_id               TEXT    NOT NULL UNIQUE,
  user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy             TEXT    NOT NULL,
  trigger_type         TEXT    NOT NULL CHECK (trigger_type IN ('single', 'two-leg')),
  symbol               TEXT    NOT NULL,
  exchange             TEXT    NOT NULL,
  last_price           REAL    NOT NULL,
  status               TEXT    NOT NULL
                       CHECK (status IN ('active', 'triggered', 'cancelled', 'expired', 'rejected')),
  margin_blocked_paise INTEGER NOT NULL,
  expires_at           TEXT    NOT NULL,
  created_at           TEXT    NOT NULL,
  updated_at           TEXT    NOT NULL
);
CREATE INDEX sandbox_gtt_status ON sandbox_gtt (status);
CREATE INDEX sandbox_gtt_user ON sandbox_gtt (user_id, created_at);

CREATE TABLE sandbox_gtt_legs (
  gtt_id            TEXT    NOT NULL REFERENCES sandbox_gtt (gtt_id) ON DELETE CASCADE,
  leg_number        INTEGER NOT NULL,
  trigger_price     REAL    NOT NULL,
  trigger_direction TEXT    NOT NULL CHECK (trigger_direction IN ('below', 'above')),
  action            TEXT    NOT NULL CHECK (action IN ('BUY', 'SELL')),
  quantity          REAL    NOT NULL,
  price             REAL    NOT NULL,
  pricetype         TEXT    NOT NULL CHECK (pricetype IN ('MARKET', 'LIMIT')),
  product           TEXT    NOT NULL CHECK (product IN ('CNC', 'NRML')),
  orderid           TEXT    NOT NULL,
  PRIMARY KEY (gtt_id, leg_number)
);
CREATE UNIQUE INDEX sandbox_gtt_legs_orderid ON sandbox_gtt_legs (orderid) WHERE orderid <> '';
)sql";

constexpr std::string_view kPostgresV4 = R"sql(
CREATE TABLE sandbox_gtt (
  id                   BIGSERIAL PRIMARY KEY,
  gtt_id               TEXT             NOT NULL UNIQUE,
  user_id              BIGINT           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy             TEXT             NOT NULL,
  trigger_type         TEXT             NOT NULL CHECK (trigger_type IN ('single', 'two-leg')),
  symbol               TEXT             NOT NULL,
  exchange             TEXT             NOT NULL,
  last_price           DOUBLE PRECISION NOT NULL,
  status               TEXT             NOT NULL
                       CHECK (status IN ('active', 'triggered', 'cancelled', 'expired', 'rejected')),
  margin_blocked_paise BIGINT           NOT NULL,
  expires_at           TEXT             NOT NULL,
  created_at           TEXT             NOT NULL,
  updated_at           TEXT             NOT NULL
);
CREATE INDEX sandbox_gtt_status ON sandbox_gtt (status);
CREATE INDEX sandbox_gtt_user ON sandbox_gtt (user_id, created_at);

CREATE TABLE sandbox_gtt_legs (
  gtt_id            TEXT             NOT NULL REFERENCES sandbox_gtt (gtt_id) ON DELETE CASCADE,
  leg_number        INTEGER          NOT NULL,
  trigger_price     DOUBLE PRECISION NOT NULL,
  trigger_direction TEXT             NOT NULL CHECK (trigger_direction IN ('below', 'above')),
  action            TEXT             NOT NULL CHECK (action IN ('BUY', 'SELL')),
  quantity          DOUBLE PRECISION NOT NULL,
  price             DOUBLE PRECISION NOT NULL,
  pricetype         TEXT             NOT NULL CHECK (pricetype IN ('MARKET', 'LIMIT')),
  product           TEXT             NOT NULL CHECK (product IN ('CNC', 'NRML')),
  orderid           TEXT             NOT NULL,
  PRIMARY KEY (gtt_id, leg_number)
);
CREATE UNIQUE INDEX sandbox_gtt_legs_orderid ON sandbox_gtt_legs (orderid) WHERE orderid <> '';
)sql";

// Request logs (core/traffic) and the credentials version. The logs are
// written in batches off the request path; times are the request's own (UTC
// ISO-8601 with milliseconds), durations in microseconds. credentials_version
// changes with every write to api_keys or broker_auth, from any process, so
// a daemon's caches of keys and broker logins notice what the CLI changed.
constexpr std::string_view kSqliteV5 = R"sql(
CREATE TABLE traffic_logs (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at TEXT    NOT NULL,
  method     TEXT    NOT NULL,
  path       TEXT    NOT NULL,
  route      TEXT    NOT NULL,
  status     INTEGER NOT NULL,
  client_ip  TEXT    NOT NULL,
  user_id    INTEGER,
  total_us   INTEGER NOT NULL,
  broker_us  INTEGER NOT NULL
);
CREATE INDEX traffic_logs_created ON traffic_logs (created_at);

CREATE TABLE analyzer_logs (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  api_type      TEXT NOT NULL,
  request_data  TEXT NOT NULL,
  response_data TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX analyzer_logs_api_type_created ON analyzer_logs (api_type, created_at);
CREATE INDEX analyzer_logs_created ON analyzer_logs (created_at);

CREATE TABLE credentials_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO credentials_version (id, version) VALUES (1, 0);
CREATE TRIGGER api_keys_inserted AFTER INSERT ON api_keys
  BEGIN UPDATE credentials_version SET version = version + 1; END;
CREATE TRIGGER api_keys_updated AFTER UPDATE ON api_keys
  BEGIN UPDATE credentials_version SET version = version + 1; END;
CREATE TRIGGER api_keys_deleted AFTER DELETE ON api_keys
  BEGIN UPDATE credentials_version SET version = version + 1; END;
CREATE TRIGGER broker_auth_inserted AFTER INSERT ON broker_auth
  BEGIN UPDATE credentials_version SET version = version + 1; END;
CREATE TRIGGER broker_auth_updated AFTER UPDATE ON broker_auth
  BEGIN UPDATE credentials_version SET version = version + 1; END;
CREATE TRIGGER broker_auth_deleted AFTER DELETE ON broker_auth
  BEGIN UPDATE credentials_version SET version = version + 1; END;
)sql";

constexpr std::string_view kPostgresV5 = R"sql(
CREATE TABLE traffic_logs (
  id         BIGSERIAL PRIMARY KEY,
  created_at TEXT    NOT NULL,
  method     TEXT    NOT NULL,
  path       TEXT    NOT NULL,
  route      TEXT    NOT NULL,
  status     INTEGER NOT NULL,
  client_ip  TEXT    NOT NULL,
  user_id    BIGINT,
  total_us   BIGINT  NOT NULL,
  broker_us  BIGINT  NOT NULL
);
CREATE INDEX traffic_logs_created ON traffic_logs (created_at);

CREATE TABLE analyzer_logs (
  id            BIGSERIAL PRIMARY KEY,
  api_type      TEXT NOT NULL,
  request_data  TEXT NOT NULL,
  response_data TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX analyzer_logs_api_type_created ON analyzer_logs (api_type, created_at);
CREATE INDEX analyzer_logs_created ON analyzer_logs (created_at);

CREATE TABLE credentials_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT  NOT NULL
);
INSERT INTO credentials_version (id, version) VALUES (1, 0);
CREATE FUNCTION bump_credentials_version() RETURNS trigger AS $$
BEGIN
  UPDATE credentials_version SET version = version + 1;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE OR DELETE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credentials_version();
CREATE TRIGGER broker_auth_changed AFTER INSERT OR UPDATE OR DELETE ON broker_auth
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credentials_version();
)sql";

// The Action Center (rest_api.md A.10): order requests of semi-auto users,
// held until someone approves or rejects them. A status changes only from
// pending, in one conditional UPDATE, so an order is approved (and executed)
// at most once. order_data is the validated request without the API key;
// client_order_id makes a repeated request find the order already queued.
constexpr std::string_view kSqliteV6 = R"sql(
CREATE TABLE pending_orders (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  api_type        TEXT    NOT NULL,
  order_data      TEXT    NOT NULL,
  client_order_id TEXT,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  decided_at      TEXT,
  decided_by      TEXT,
  rejected_reason TEXT,
  result_status   INTEGER,
  result          TEXT,
  UNIQUE (user_id, client_order_id)
);
CREATE INDEX pending_orders_user_status ON pending_orders (user_id, status);
CREATE INDEX pending_orders_created ON pending_orders (created_at);
)sql";

constexpr std::string_view kPostgresV6 = R"sql(
CREATE TABLE pending_orders (
  id              BIGSERIAL PRIMARY KEY,
  user_id         BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  api_type        TEXT    NOT NULL,
  order_data      TEXT    NOT NULL,
  client_order_id TEXT,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at      TEXT    NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  decided_at      TEXT,
  decided_by      TEXT,
  rejected_reason TEXT,
  result_status   INTEGER,
  result          TEXT,
  UNIQUE (user_id, client_order_id)
);
CREATE INDEX pending_orders_user_status ON pending_orders (user_id, status);
CREATE INDEX pending_orders_created ON pending_orders (created_at);
)sql";

// SQLite checks `x IN ('a', 'b', 'c')` against a lookup table it builds
// again for every row written (a list of more than two values), which was
// a fifth of the sandbox engine's time per order. The same checks written
// as comparisons cost nothing; a CHECK cannot be altered in place, so the
// table is rebuilt as SQLite's ALTER TABLE documentation describes (migrate()
// runs SQLite steps with foreign keys off and checks them before commit).
// PostgreSQL evaluates IN lists directly: nothing to change there.
constexpr std::string_view kSqliteV7 = R"sql(
CREATE TABLE sandbox_orders_rebuilt (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  orderid              TEXT    NOT NULL UNIQUE,
  user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy             TEXT    NOT NULL,
  symbol               TEXT    NOT NULL,
  exchange             TEXT    NOT NULL,
  action               TEXT    NOT NULL CHECK (action = 'BUY' OR action = 'SELL'),
  quantity             REAL    NOT NULL,
  price                REAL    NOT NULL,
  trigger_price        REAL    NOT NULL,
  pricetype            TEXT    NOT NULL
                       CHECK (pricetype = 'MARKET' OR pricetype = 'LIMIT' OR pricetype = 'SL' OR pricetype = 'SL-M'),
  product              TEXT    NOT NULL CHECK (product = 'CNC' OR product = 'NRML' OR product = 'MIS'),
  status               TEXT    NOT NULL
                       CHECK (status = 'open' OR status = 'trigger pending' OR status = 'complete' OR
                              status = 'cancelled' OR status = 'rejected'),
  average_price        REAL    NOT NULL,
  filled_quantity      REAL    NOT NULL,
  pending_quantity     REAL    NOT NULL,
  rejection_reason     TEXT    NOT NULL,
  margin_blocked_paise INTEGER NOT NULL,
  created_at           TEXT    NOT NULL,
  updated_at           TEXT    NOT NULL
);
INSERT INTO sandbox_orders_rebuilt SELECT * FROM sandbox_orders;
-- Ids are never reused: the rebuilt table continues the old sequence.
DELETE FROM sqlite_sequence WHERE name = 'sandbox_orders_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'sandbox_orders_rebuilt', seq FROM sqlite_sequence
 WHERE name = 'sandbox_orders';
DROP TABLE sandbox_orders;
ALTER TABLE sandbox_orders_rebuilt RENAME TO sandbox_orders;
CREATE INDEX sandbox_orders_user_created ON sandbox_orders (user_id, created_at);
CREATE INDEX sandbox_orders_status ON sandbox_orders (status);
)sql";

constexpr std::string_view kPostgresV7 = "SELECT 1";

// Every sandbox order is journaled, so the journal's indexes are paid for
// on the engine thread: a tenth of its time per order went to keeping two
// indexes that no such row is ever looked up by. Only entries with a
// client_order_id are looked up by it, and only unfinished ones are read back
// on restart, so both indexes now hold just those rows. SQLite cannot drop
// an inline UNIQUE constraint, so the table is rebuilt as in migration 7.
constexpr std::string_view kSqliteV8 = R"sql(
CREATE TABLE order_journal_rebuilt (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  broker          TEXT    NOT NULL,
  mode            TEXT    NOT NULL,
  operation       TEXT    NOT NULL,
  client_order_id TEXT,
  request         TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  http_status     INTEGER,
  response        TEXT,
  broker_orderid  TEXT,
  note            TEXT,
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO order_journal_rebuilt SELECT * FROM order_journal;
-- Ids are never reused: the rebuilt table continues the old sequence.
DELETE FROM sqlite_sequence WHERE name = 'order_journal_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'order_journal_rebuilt', seq FROM sqlite_sequence
 WHERE name = 'order_journal';
DROP TABLE order_journal;
ALTER TABLE order_journal_rebuilt RENAME TO order_journal;
CREATE UNIQUE INDEX order_journal_client_id ON order_journal (user_id, client_order_id)
 WHERE client_order_id IS NOT NULL;
CREATE INDEX order_journal_unfinished ON order_journal (id) WHERE state <> 'done';
)sql";

constexpr std::string_view kPostgresV8 = R"sql(
ALTER TABLE order_journal DROP CONSTRAINT order_journal_user_id_client_order_id_key;
DROP INDEX order_journal_state;
CREATE UNIQUE INDEX order_journal_client_id ON order_journal (user_id, client_order_id)
 WHERE client_order_id IS NOT NULL;
CREATE INDEX order_journal_unfinished ON order_journal (id) WHERE state <> 'done';
)sql";

// AUTOINCREMENT updated sqlite_sequence on every sandbox order. Its promise
// that an id never comes back matters for rows referenced by id, and nothing
// references sandbox orders by id: trades, the API and the engine use
// orderid. A plain rowid key takes a tenth off an order's insert. The status
// index now holds only live orders, the only rows looked up by status (the
// engine's load); finished orders, most of the table, stay out of it.
constexpr std::string_view kSqliteV9 = R"sql(
CREATE TABLE sandbox_orders_rebuilt (
  id                   INTEGER PRIMARY KEY,
  orderid              TEXT    NOT NULL UNIQUE,
  user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy             TEXT    NOT NULL,
  symbol               TEXT    NOT NULL,
  exchange             TEXT    NOT NULL,
  action               TEXT    NOT NULL CHECK (action = 'BUY' OR action = 'SELL'),
  quantity             REAL    NOT NULL,
  price                REAL    NOT NULL,
  trigger_price        REAL    NOT NULL,
  pricetype            TEXT    NOT NULL
                       CHECK (pricetype = 'MARKET' OR pricetype = 'LIMIT' OR pricetype = 'SL' OR pricetype = 'SL-M'),
  product              TEXT    NOT NULL CHECK (product = 'CNC' OR product = 'NRML' OR product = 'MIS'),
  status               TEXT    NOT NULL
                       CHECK (status = 'open' OR status = 'trigger pending' OR status = 'complete' OR
                              status = 'cancelled' OR status = 'rejected'),
  average_price        REAL    NOT NULL,
  filled_quantity      REAL    NOT NULL,
  pending_quantity     REAL    NOT NULL,
  rejection_reason     TEXT    NOT NULL,
  margin_blocked_paise INTEGER NOT NULL,
  created_at           TEXT    NOT NULL,
  updated_at           TEXT    NOT NULL
);
INSERT INTO sandbox_orders_rebuilt SELECT * FROM sandbox_orders;
DROP TABLE sandbox_orders;
ALTER TABLE sandbox_orders_rebuilt RENAME TO sandbox_orders;
CREATE INDEX sandbox_orders_user_created ON sandbox_orders (user_id, created_at);
CREATE INDEX sandbox_orders_live ON sandbox_orders (orderid) WHERE status = 'open' OR status = 'trigger pending';
)sql";

constexpr std::string_view kPostgresV9 = R"sql(
DROP INDEX sandbox_orders_status;
CREATE INDEX sandbox_orders_live ON sandbox_orders (orderid) WHERE status = 'open' OR status = 'trigger pending';
)sql";

// Append new migrations at the end; never edit or reorder released ones.
constexpr Migration kMigrations[] = {
    {1, "core tables", kSqliteV1, kPostgresV1},
    {2, "order journal", kSqliteV2, kPostgresV2},
    {3, "sandbox", kSqliteV3, kPostgresV3},
    {4, "sandbox GTT", kSqliteV4, kPostgresV4},
    {5, "request logs and credentials version", kSqliteV5, kPostgresV5},
    {6, "action center pending orders", kSqliteV6, kPostgresV6},
    {7, "sandbox order checks without lookup tables", kSqliteV7, kPostgresV7},
    {8, "order journal indexes for the rows looked up", kSqliteV8, kPostgresV8},
    {9, "sandbox order ids without a sequence, live orders indexed", kSqliteV9, kPostgresV9},
};

// The request logs' own schema (logs_schema()): version 5's two tables,
// created where missing, with less to write per row (a quarter fewer
// instructions per logged order). Plain rowid keys, not AUTOINCREMENT, which
// also updates sqlite_sequence on every insert: ids come back only if the
// newest rows are deleted, and the purge deletes the oldest. No (api_type,
// created_at) index: nothing looks rows up by type.
constexpr std::string_view kSqliteLogsV1 = R"sql(
CREATE TABLE IF NOT EXISTS traffic_logs (
  id         INTEGER PRIMARY KEY,
  created_at TEXT    NOT NULL,
  method     TEXT    NOT NULL,
  path       TEXT    NOT NULL,
  route      TEXT    NOT NULL,
  status     INTEGER NOT NULL,
  client_ip  TEXT    NOT NULL,
  user_id    INTEGER,
  total_us   INTEGER NOT NULL,
  broker_us  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS traffic_logs_created ON traffic_logs (created_at);

CREATE TABLE IF NOT EXISTS analyzer_logs (
  id            INTEGER PRIMARY KEY,
  api_type      TEXT NOT NULL,
  request_data  TEXT NOT NULL,
  response_data TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS analyzer_logs_created ON analyzer_logs (created_at);
)sql";

constexpr std::string_view kPostgresLogsV1 = R"sql(
CREATE TABLE IF NOT EXISTS traffic_logs (
  id         BIGSERIAL PRIMARY KEY,
  created_at TEXT    NOT NULL,
  method     TEXT    NOT NULL,
  path       TEXT    NOT NULL,
  route      TEXT    NOT NULL,
  status     INTEGER NOT NULL,
  client_ip  TEXT    NOT NULL,
  user_id    BIGINT,
  total_us   BIGINT  NOT NULL,
  broker_us  BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS traffic_logs_created ON traffic_logs (created_at);

CREATE TABLE IF NOT EXISTS analyzer_logs (
  id            BIGSERIAL PRIMARY KEY,
  api_type      TEXT NOT NULL,
  request_data  TEXT NOT NULL,
  response_data TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS analyzer_logs_created ON analyzer_logs (created_at);
)sql";

constexpr Migration kLogsMigrations[] = {
    {1, "request logs", kSqliteLogsV1, kPostgresLogsV1},
};

constexpr bool numbered_from_one_without_gaps(std::span<const Migration> list) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].version != static_cast<int>(i) + 1) {
      return false;
    }
  }
  return true;
}
static_assert(numbered_from_one_without_gaps(kMigrations),
              "migration versions must be 1, 2, 3, ... in list order");
static_assert(numbered_from_one_without_gaps(kLogsMigrations),
              "migration versions must be 1, 2, 3, ... in list order");

// The version tables, named by the schema: {} stands for the name.
constexpr std::string_view kSqliteMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS {} (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
))sql";

constexpr std::string_view kPostgresMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS {} (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
))sql";

// Serialises migration runs of daemons sharing one PostgreSQL database; the
// lock is released when the transaction ends. The key is "oamigrat" in ASCII.
constexpr std::string_view kPostgresMigrationLock = "SELECT pg_advisory_xact_lock(8025816310425477492)";

// The version table's DDL with its name in place of the {}.
std::string migrations_table_sql(Backend backend, std::string_view table) {
  std::string sql(backend == Backend::Postgres ? kPostgresMigrationsTable : kSqliteMigrationsTable);
  return sql.replace(sql.find("{}"), 2, table);
}

void prepare_migration_table(soci::session& sql, Backend backend, std::string_view table) {
  if (backend == Backend::Postgres) sql << std::string(kPostgresMigrationLock);
  sql << migrations_table_sql(backend, table);
}

int applied_version(soci::session& sql, std::string_view table) {
  int version = 0;
  sql << "SELECT COALESCE(MAX(version), 0) FROM " << table, soci::into(version);
  return version;
}

void refuse_newer_database(int applied, std::span<const Migration> known) {
  const int newest_known = known.empty() ? 0 : known.back().version;
  if (applied > newest_known) {
    throw std::runtime_error("the database schema is at version " + std::to_string(applied) +
                             " but this openalgod knows versions up to " +
                             std::to_string(newest_known) +
                             ": it was written by a newer openalgod; run that version or "
                             "restore a backup taken before the upgrade");
  }
}

void apply(soci::session& sql, Backend backend, const Migration& migration, std::string_view table) {
  try {
    execute_script(sql, backend, migration.sql_for(backend));
    const std::string name(migration.name);
    sql << "INSERT INTO " << table << " (version, name) VALUES (:version, :name)",
        soci::use(migration.version), soci::use(name);
  } catch (const std::exception& error) {
    throw std::runtime_error("schema migration " + std::to_string(migration.version) + " (" +
                             std::string(migration.name) + ") failed: " + error.what());
  }
}

// SQLite: a migration that rebuilds a table (create, copy, drop, rename)
// must run with foreign keys off, or dropping the old table would cascade
// its deletes into the tables referring to it. The setting holds for the
// connection, outside transactions, so it is switched around the whole run.
class SqliteForeignKeysOff {
 public:
  SqliteForeignKeysOff(soci::session& sql, Backend backend) : sql_(backend == Backend::Sqlite ? &sql : nullptr) {
    if (sql_) *sql_ << "PRAGMA foreign_keys=OFF";
  }
  ~SqliteForeignKeysOff() {
    // Fails only on a closed connection, which needs no setting any more.
    try {
      if (sql_) *sql_ << "PRAGMA foreign_keys=ON";
    } catch (...) {
    }
  }
  SqliteForeignKeysOff(const SqliteForeignKeysOff&) = delete;
  SqliteForeignKeysOff& operator=(const SqliteForeignKeysOff&) = delete;

 private:
  soci::session* sql_;
};

// What foreign keys would have refused while they were off fails the step.
void refuse_broken_foreign_keys(soci::session& sql, const Migration& migration) {
  std::string table;
  sql << "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1", soci::into(table);
  if (!sql.got_data()) return;
  throw std::runtime_error("schema migration " + std::to_string(migration.version) + " (" +
                           std::string(migration.name) + ") left rows in " + table +
                           " that refer to missing rows");
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int latest_schema_version() { return migrations().back().version; }

Schema main_schema() { return {"schema_migrations", kMigrations}; }

Schema logs_schema() { return {"log_schema_migrations", kLogsMigrations}; }

int migrate(soci::session& sql, Backend backend, const Schema& schema) {
  return migrate(sql, backend, schema.migrations, schema.version_table);
}

int migrate(soci::session& sql, Backend backend, std::span<const Migration> known, std::string_view version_table) {
  if (!numbered_from_one_without_gaps(known)) {
    throw std::logic_error("migration versions must be 1, 2, 3, ... in list order");
  }
  const SqliteForeignKeysOff keys_off(sql, backend);
  // One transaction per step: a failing migration rolls back alone, and the
  // lock is re-taken before each step, so a daemon that waited sees what the
  // other one applied.
  for (;;) {
    Transaction transaction(sql, backend);
    prepare_migration_table(sql, backend, version_table);
    const int applied = applied_version(sql, version_table);
    refuse_newer_database(applied, known);
    if (applied == static_cast<int>(known.size())) {
      transaction.commit();
      return applied;
    }
    apply(sql, backend, known[static_cast<std::size_t>(applied)], version_table);
    if (backend == Backend::Sqlite) refuse_broken_foreign_keys(sql, known[static_cast<std::size_t>(applied)]);
    transaction.commit();
  }
}

}  // namespace oa::store
