#include "store/instruments.hpp"

#include "store/transaction.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <span>
#include <stdexcept>
#include <type_traits>

namespace oa::store {
namespace {

// One batch of instruments column by column, as SOCI's bulk binds want them.
struct ColumnVectors {
  std::vector<std::string> symbol, brsymbol, name, exchange, brexchange, token, expiry;
  std::vector<double> strike;
  std::vector<int> lotsize;
  std::vector<std::string> instrumenttype;
  std::vector<double> tick_size, contract_value;
  std::vector<std::string> broker;

  ColumnVectors(const std::string& broker_name, std::span<const Instrument> rows) {
    for (const Instrument& row : rows) {
      symbol.push_back(row.symbol);
      brsymbol.push_back(row.brsymbol);
      name.push_back(row.name);
      exchange.push_back(row.exchange);
      brexchange.push_back(row.brexchange);
      token.push_back(row.token);
      expiry.push_back(row.expiry);
      strike.push_back(row.strike);
      lotsize.push_back(row.lotsize);
      instrumenttype.push_back(row.instrumenttype);
      tick_size.push_back(row.tick_size);
      contract_value.push_back(row.contract_value);
    }
    broker.assign(rows.size(), broker_name);
  }
};

// A PostgreSQL array literal such as {"NIFTY","BANKNIFTY"}.
class ArrayLiteral {
 public:
  void add(const std::string& text) {
    separate();
    text_ += '"';
    for (const char c : text) {
      if (c == '"' || c == '\\') {
        text_ += '\\';
      }
      text_ += c;
    }
    text_ += '"';
  }

  // Shortest text that reads back as the same double (nan and inf included).
  template <typename Number>
    requires std::is_arithmetic_v<Number>
  void add(Number number) {
    separate();
    char digits[32];
    const auto end = std::to_chars(std::begin(digits), std::end(digits), number).ptr;
    text_.append(digits, end);
  }

  const std::string& close() {
    text_ += '}';
    return text_;
  }

 private:
  void separate() { text_ += text_.size() == 1 ? "" : ","; }

  std::string text_ = "{";
};

// Instruments column by column as PostgreSQL arrays, for a single
// INSERT ... SELECT FROM unnest(...): SOCI 4.0 sends a bulk bind to
// PostgreSQL one row per round trip, which makes 100k rows take seconds.
struct ColumnArrays {
  ArrayLiteral symbol, brsymbol, name, exchange, brexchange, token, expiry, strike, lotsize,
      instrumenttype, tick_size, contract_value;

  explicit ColumnArrays(std::span<const Instrument> rows) {
    for (const Instrument& row : rows) {
      symbol.add(row.symbol);
      brsymbol.add(row.brsymbol);
      name.add(row.name);
      exchange.add(row.exchange);
      brexchange.add(row.brexchange);
      token.add(row.token);
      expiry.add(row.expiry);
      strike.add(row.strike);
      lotsize.add(row.lotsize);
      instrumenttype.add(row.instrumenttype);
      tick_size.add(row.tick_size);
      contract_value.add(row.contract_value);
    }
  }
};

constexpr const char* kInsertColumns =
    "INSERT INTO instruments (symbol, brsymbol, name, exchange, brexchange, token, expiry, strike, "
    "lotsize, instrumenttype, tick_size, contract_value, broker) ";

void insert_sqlite(soci::session& sql, const std::string& broker,
                   std::span<const Instrument> batch) {
  ColumnVectors columns(broker, batch);
  sql << kInsertColumns
      << "VALUES (:symbol, :brsymbol, :name, :exchange, :brexchange, :token, :expiry, :strike, "
         ":lotsize, :instrumenttype, :tick_size, :contract_value, :broker)",
      soci::use(columns.symbol), soci::use(columns.brsymbol), soci::use(columns.name),
      soci::use(columns.exchange), soci::use(columns.brexchange), soci::use(columns.token),
      soci::use(columns.expiry), soci::use(columns.strike), soci::use(columns.lotsize),
      soci::use(columns.instrumenttype), soci::use(columns.tick_size),
      soci::use(columns.contract_value), soci::use(columns.broker);
}

void insert_postgres(soci::session& sql, const std::string& broker,
                     std::span<const Instrument> batch) {
  ColumnArrays columns(batch);
  sql << kInsertColumns
      << "SELECT *, CAST(:broker AS TEXT) FROM unnest("
         "CAST(:symbol AS TEXT[]), CAST(:brsymbol AS TEXT[]), CAST(:name AS TEXT[]), "
         "CAST(:exchange AS TEXT[]), CAST(:brexchange AS TEXT[]), CAST(:token AS TEXT[]), "
         "CAST(:expiry AS TEXT[]), CAST(:strike AS DOUBLE PRECISION[]), "
         "CAST(:lotsize AS INTEGER[]), CAST(:instrumenttype AS TEXT[]), "
         "CAST(:tick_size AS DOUBLE PRECISION[]), CAST(:contract_value AS DOUBLE PRECISION[]))",
      soci::use(broker), soci::use(columns.symbol.close()), soci::use(columns.brsymbol.close()),
      soci::use(columns.name.close()), soci::use(columns.exchange.close()),
      soci::use(columns.brexchange.close()), soci::use(columns.token.close()),
      soci::use(columns.expiry.close()), soci::use(columns.strike.close()),
      soci::use(columns.lotsize.close()), soci::use(columns.instrumenttype.close()),
      soci::use(columns.tick_size.close()), soci::use(columns.contract_value.close());
}

using RowVisitor = std::function<void(std::int64_t id, const Instrument&)>;

// Calls `visit` on each of at most `limit` rows of
// SELECT ... FROM instruments <condition>, binding each of `parameters` in
// turn. Rows read one at a time into scalars: SOCI 4.0's SQLite backend
// types bulk (vector) reads by declared column type, which truncates INTEGER
// ids to 32 bits and rounds doubles read through COALESCE to 15 digits.
// Either way PostgreSQL sends the rows of a page in one reply. NULLs left by
// other tools read as empty strings and zeros.
template <typename... Parameters>
void select_instruments(soci::session& sql, std::size_t limit, const std::string& condition,
                        const RowVisitor& visit, const Parameters&... parameters) {
  std::int64_t id = 0;
  Instrument row;
  auto query = (sql.prepare << "SELECT id, symbol, brsymbol, COALESCE(name, ''), "
                               "COALESCE(exchange, ''), COALESCE(brexchange, ''), "
                               "COALESCE(token, ''), COALESCE(expiry, ''), COALESCE(strike, 0), "
                               "COALESCE(lotsize, 0), COALESCE(instrumenttype, ''), "
                               "COALESCE(tick_size, 0), COALESCE(contract_value, 0) "
                               "FROM instruments "
                            << condition << " LIMIT " << limit,
                soci::into(id), soci::into(row.symbol), soci::into(row.brsymbol),
                soci::into(row.name), soci::into(row.exchange), soci::into(row.brexchange),
                soci::into(row.token), soci::into(row.expiry), soci::into(row.strike),
                soci::into(row.lotsize), soci::into(row.instrumenttype), soci::into(row.tick_size),
                soci::into(row.contract_value));
  ((query, soci::use(parameters)), ...);
  soci::statement statement(query);
  statement.execute();
  while (statement.fetch()) {
    visit(id, row);
  }
}

}  // namespace

void Instruments::replace_for_broker(const std::string& broker,
                                     const std::vector<Instrument>& instruments) {
  if (instruments.empty()) {
    throw std::invalid_argument("refusing to replace " + std::to_string(count(broker)) +
                                " instruments with an empty list (broker " + broker + ")");
  }
  auto lease = store_.lease();
  Transaction transaction(lease);
  *lease << "DELETE FROM instruments WHERE broker = :broker", soci::use(broker);
  const std::span<const Instrument> all(instruments);
  for (std::size_t start = 0; start < all.size(); start += kBatchSize) {
    const auto batch = all.subspan(start, std::min(kBatchSize, all.size() - start));
    if (lease.backend() == Backend::Sqlite) {
      insert_sqlite(*lease, broker, batch);
    } else {
      insert_postgres(*lease, broker, batch);
    }
  }
  transaction.commit();
}

std::int64_t Instruments::count(const std::string& broker) const {
  auto lease = store_.lease();
  std::int64_t count = 0;
  *lease << "SELECT COUNT(*) FROM instruments WHERE broker = :broker", soci::use(broker),
      soci::into(count);
  return count;
}

std::optional<Instrument> Instruments::find(const std::string& symbol,
                                            const std::string& exchange) const {
  auto lease = store_.lease();
  std::optional<Instrument> found;
  select_instruments(
      *lease, 1, "WHERE symbol = :symbol AND exchange = :exchange ORDER BY id",
      [&](std::int64_t, const Instrument& row) { found = row; }, symbol, exchange);
  return found;
}

void Instruments::for_each(const std::string& broker,
                           const std::function<void(const Instrument&)>& visit) const {
  auto lease = store_.lease();
  Transaction snapshot(lease, Transaction::Kind::Snapshot);
  // Pages follow the id order, each starting after the last id seen: no
  // OFFSET rescans, and memory stays at one page.
  std::int64_t last_id = 0;
  std::size_t page_rows = kBatchSize;
  while (page_rows == kBatchSize) {
    const std::int64_t after_id = last_id;
    page_rows = 0;
    select_instruments(
        *lease, kBatchSize, "WHERE broker = :broker AND id > :after_id ORDER BY id",
        [&](std::int64_t id, const Instrument& row) {
          visit(row);
          last_id = id;
          ++page_rows;
        },
        broker, after_id);
  }
  snapshot.commit();
}

}  // namespace oa::store
