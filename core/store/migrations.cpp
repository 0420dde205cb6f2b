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

// Append new migrations at the end; never edit or reorder released ones.
constexpr Migration kMigrations[] = {
    {1, "core tables", kSqliteV1, kPostgresV1},
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

constexpr std::string_view kSqliteMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
))sql";

constexpr std::string_view kPostgresMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
))sql";

// Serialises migration runs of daemons sharing one PostgreSQL database; the
// lock is released when the transaction ends. The key is "oamigrat" in ASCII.
constexpr std::string_view kPostgresMigrationLock = "SELECT pg_advisory_xact_lock(8025816310425477492)";

void prepare_migration_table(soci::session& sql, Backend backend) {
  if (backend == Backend::Postgres) {
    sql << std::string(kPostgresMigrationLock);
    sql << std::string(kPostgresMigrationsTable);
    return;
  }
  sql << std::string(kSqliteMigrationsTable);
}

int applied_version(soci::session& sql) {
  int version = 0;
  sql << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", soci::into(version);
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

void apply(soci::session& sql, Backend backend, const Migration& migration) {
  try {
    execute_script(sql, backend, migration.sql_for(backend));
    const std::string name(migration.name);
    sql << "INSERT INTO schema_migrations (version, name) VALUES (:version, :name)",
        soci::use(migration.version), soci::use(name);
  } catch (const std::exception& error) {
    throw std::runtime_error("schema migration " + std::to_string(migration.version) + " (" +
                             std::string(migration.name) + ") failed: " + error.what());
  }
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int latest_schema_version() { return migrations().back().version; }

int migrate(soci::session& sql, Backend backend, std::span<const Migration> known) {
  if (!numbered_from_one_without_gaps(known)) {
    throw std::logic_error("migration versions must be 1, 2, 3, ... in list order");
  }
  // One transaction per step: a failing migration rolls back alone, and the
  // lock is re-taken before each step, so a daemon that waited sees what the
  // other one applied.
  for (;;) {
    Transaction transaction(sql, backend);
    prepare_migration_table(sql, backend);
    const int applied = applied_version(sql);
    refuse_newer_database(applied, known);
    if (applied == static_cast<int>(known.size())) {
      transaction.commit();
      return applied;
    }
    apply(sql, backend, known[static_cast<std::size_t>(applied)]);
    transaction.commit();
  }
}

}  // namespace oa::store
