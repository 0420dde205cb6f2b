#include "master_contract.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

#include "openalgo_sdk/csv_reader.hpp"

namespace oa::zerodha {
namespace {

// Kite's index names -> OpenAlgo's (brokers.md §4.1); others lose their spaces.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kIndexNames{{
    {"NIFTY 50", "NIFTY"},
    {"NIFTY BANK", "BANKNIFTY"},
    {"NIFTY FIN SERVICE", "FINNIFTY"},
    {"NIFTY MID SELECT", "MIDCPNIFTY"},
    {"NIFTY NEXT 50", "NIFTYNXT50"},
    {"INDIA VIX", "INDIAVIX"},
    {"NIFTY IT", "NIFTYIT"},
    {"NIFTY PHARMA", "NIFTYPHARMA"},
    {"NIFTY AUTO", "NIFTYAUTO"},
    {"NIFTY FMCG", "NIFTYFMCG"},
    {"NIFTY METAL", "NIFTYMETAL"},
    {"SENSEX", "SENSEX"},
    {"BANKEX", "BANKEX"},
    {"SNSX50", "SENSEX50"},
    {"AUTO", "BSEAUTO"},
    {"GIFT NIFTY", "GIFTNIFTY"},
}};

constexpr std::array<std::string_view, 12> kMonths{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

std::string index_symbol(std::string_view tradingsymbol) {
  for (const auto& [kite, openalgo] : kIndexNames)
    if (kite == tradingsymbol) return std::string(openalgo);
  std::string symbol;
  for (char c : tradingsymbol)
    if (c != ' ') symbol += c;
  return symbol;
}

std::string openalgo_exchange(std::string_view exchange, std::string_view segment) {
  if (exchange == "GLOBAL" || exchange == "NSEIX") return "GLOBAL_INDEX";
  if (segment == "INDICES") return std::string(exchange) + "_INDEX";
  return std::string(exchange);
}

double to_double(std::string_view text) {
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

struct Columns {
  std::size_t token, exchange_token, tradingsymbol, name, expiry, strike, tick_size, lot_size, type, segment, exchange;
};

Columns columns_of(const std::vector<std::string_view>& header) {
  sdk::CsvColumns names(header);
  auto need = [&names](std::string_view name) {
    auto index = names.find(name);
    if (!index) throw sdk::Error(OA_ERR_BROKER, "Kite's instrument file has no '" + std::string(name) + "' column");
    return *index;
  };
  return {need("instrument_token"), need("exchange_token"), need("tradingsymbol"), need("name"),
          need("expiry"), need("strike"), need("tick_size"), need("lot_size"),
          need("instrument_type"), need("segment"), need("exchange")};
}

// The OpenAlgo symbol of a row; nullopt for a derivative without a readable expiry.
std::optional<std::string> symbol_of(const sdk::Instrument& row, std::string_view kite_expiry) {
  if (row.exchange.ends_with("_INDEX")) return index_symbol(row.brsymbol);
  if (row.instrumenttype != "FUT" && row.instrumenttype != "CE" && row.instrumenttype != "PE") return row.brsymbol;
  auto expiry = compact_expiry(kite_expiry);
  if (!expiry) return std::nullopt;
  if (row.instrumenttype == "FUT") return row.name + *expiry + "FUT";
  return row.name + *expiry + strike_text(row.strike) + row.instrumenttype;
}

}  // namespace

std::optional<std::string> compact_expiry(std::string_view iso_date) {
  int year = 0, month = 0, day = 0;
  if (iso_date.size() != 10 || std::sscanf(std::string(iso_date).c_str(), "%4d-%2d-%2d", &year, &month, &day) != 3 ||
      month < 1 || month > 12)
    return std::nullopt;
  char text[16];
  std::snprintf(text, sizeof text, "%02d%s%02d", day, std::string(kMonths[month - 1]).c_str(), year % 100);
  return text;
}

std::optional<std::string> dashed_expiry(std::string_view iso_date) {
  auto compact = compact_expiry(iso_date);
  if (!compact) return std::nullopt;
  return compact->substr(0, 2) + "-" + compact->substr(2, 3) + "-" + compact->substr(5);
}

std::string strike_text(double strike) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", strike);
  std::string out(text);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::size_t parse_instruments(std::string_view csv, const std::function<void(const sdk::Instrument&)>& add) {
  sdk::CsvReader reader(csv);
  std::vector<std::string_view> fields;
  if (!reader.next(fields)) throw sdk::Error(OA_ERR_BROKER, "Kite's instrument file is empty");
  auto at = columns_of(fields);
  std::size_t count = 0;
  sdk::Instrument row;
  while (reader.next(fields)) {
    if (fields.size() <= at.exchange) continue;  // a truncated line: skip it rather than guess
    row.brsymbol = fields[at.tradingsymbol];
    row.name = fields[at.name];
    row.brexchange = fields[at.exchange];
    row.exchange = openalgo_exchange(fields[at.exchange], fields[at.segment]);
    row.token = std::string(fields[at.token]) + "::::" + std::string(fields[at.exchange_token]);
    row.instrumenttype = fields[at.type];
    row.strike = to_double(fields[at.strike]);
    // Kite lists indices with lot size 0; a lot of 1 keeps quantity arithmetic sane.
    row.lotsize = std::max<std::int64_t>(1, static_cast<std::int64_t>(to_double(fields[at.lot_size])));
    row.tick_size = to_double(fields[at.tick_size]);
    row.expiry = dashed_expiry(fields[at.expiry]).value_or("");
    auto symbol = symbol_of(row, fields[at.expiry]);
    if (!symbol) continue;
    row.symbol = std::move(*symbol);
    add(row);
    ++count;
  }
  return count;
}

std::size_t master_contract(KiteClient& kite, const sdk::Call& call, sdk::InstrumentSink& sink) {
  auto url = kite.host().config_or("ZERODHA_INSTRUMENTS_URL", kDefaultInstrumentsUrl);
  auto response = kite.host().http("GET", url, {{"X-Kite-Version", "3"}}, {}, call.deadline_ms);
  if (response.status != 200) {
    KiteClient::data_of(response);  // Kite's error text, if it sent one
    throw sdk::Error(OA_ERR_UPSTREAM, "Kite's instrument file answered HTTP " + std::to_string(response.status));
  }
  kite.host().info("master contract: " + std::to_string(response.body.size()) + " bytes downloaded, parsing");
  std::size_t count = parse_instruments(response.body, [&sink, &kite](const sdk::Instrument& row) {
    sink.add(row);
    if (sink.count() % 25000 == 0) kite.host().info("master contract: " + std::to_string(sink.count()) + " rows");
  });
  if (count == 0) throw sdk::Error(OA_ERR_BROKER, "Kite's instrument file has no instruments");
  return count;
}

}  // namespace oa::zerodha
