#include "master_contract.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

#include <boost/json/basic_parser_impl.hpp>

#include "openalgo_sdk/numbers.hpp"

namespace oa::angel {
namespace {

double parsed(const std::string& text) { return text.empty() ? 0 : std::strtod(text.c_str(), nullptr); }

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

// Angel's expiry "04Apr2024" / "19MAR2024" as {"04APR24", "04-APR-24"}.
std::optional<std::pair<std::string, std::string>> expiry_forms(const std::string& expiry) {
  if (expiry.size() != 9) return std::nullopt;
  auto day = expiry.substr(0, 2), month = upper(expiry.substr(2, 3)), year = expiry.substr(7, 2);
  return std::make_pair(day + month + year, day + "-" + month + "-" + year);
}

// OpenAlgo writes whole strikes without a decimal point and keeps the rest.
std::string strike_text(double strike) {
  auto text = sdk::decimal_text(strike);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

// An index's OpenAlgo name from Angel's: upper case, no spaces or hyphens
// (BSE's without "S&P "), then OpenAlgo's fixed names for the famous ones.
std::string index_symbol(std::string name, const std::string& exchange) {
  name = upper(std::move(name));
  if (exchange == "BSE")
    if (auto at = name.find("S&P "); at != std::string::npos) name.erase(at, 4);
  std::erase_if(name, [](char c) { return c == ' ' || c == '-'; });
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kNames{{
      {"NIFTY50", "NIFTY"},
      {"NIFTYBANK", "BANKNIFTY"},
      {"NIFTYFINSERVICE", "FINNIFTY"},
      {"NIFTYNEXT50", "NIFTYNXT50"},
      {"NIFTYMIDSELECT", "MIDCPNIFTY"},
      {"NIFTYMIDCAPSELECT", "MIDCPNIFTY"},
      {"SNSX50", "SENSEX50"},
  }};
  for (const auto& [angel, openalgo] : kNames)
    if (name == angel) return std::string(openalgo);
  return name;
}

std::string equity_symbol(std::string symbol) {
  for (std::string_view suffix : {"-EQ", "-BE", "-MF", "-SG"})
    if (symbol.ends_with(suffix)) return symbol.substr(0, symbol.size() - suffix.size());
  return symbol;
}

// Strikes are in paise, except currency and interest-rate options, which
// Angel scales by 10^7 like their prices.
double strike_of(const ScripRow& row) {
  bool currency = row.instrumenttype == "OPTCUR" || row.instrumenttype == "OPTIRC";
  return parsed(row.strike) / (currency ? 1e7 : 100.0);
}

// The event handler of Boost.JSON's basic_parser: collects the string
// fields of one row object at a time and hands each finished row on.
class ScripHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  explicit ScripHandler(sdk::InstrumentSink& sink) : sink_(sink) {}

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_array_begin(boost::system::error_code& ec) { return enter(ec, depth_ == 0); }
  bool on_array_end(std::size_t, boost::system::error_code&) { return leave(); }
  bool on_object_begin(boost::system::error_code& ec) {
    if (depth_ == 1) row_ = {};
    return enter(ec, depth_ >= 1);
  }
  bool on_object_end(std::size_t, boost::system::error_code&) {
    if (depth_ == 2) finish_row();
    return leave();
  }
  bool on_key_part(boost::json::string_view part, std::size_t, boost::system::error_code&) {
    key_.append(part.data(), part.size());
    return true;
  }
  bool on_key(boost::json::string_view part, std::size_t, boost::system::error_code&) {
    key_.append(part.data(), part.size());
    field_ = depth_ == 2 ? field_for(key_) : nullptr;
    if (field_) field_->clear();
    key_.clear();
    return true;
  }
  bool on_string_part(boost::json::string_view part, std::size_t, boost::system::error_code&) { return append(part); }
  bool on_string(boost::json::string_view part, std::size_t, boost::system::error_code&) { return append(part); }
  bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(std::int64_t, boost::json::string_view raw, boost::system::error_code&) { return append(raw); }
  bool on_uint64(std::uint64_t, boost::json::string_view raw, boost::system::error_code&) { return append(raw); }
  bool on_double(double, boost::json::string_view raw, boost::system::error_code&) { return append(raw); }
  bool on_bool(bool, boost::system::error_code&) { return true; }
  bool on_null(boost::system::error_code&) { return true; }
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }

  std::size_t rows_seen() const { return rows_seen_; }

 private:
  bool enter(boost::system::error_code& ec, bool allowed) {
    if (!allowed || depth_ >= 3) {
      ec = boost::json::error::syntax;  // not an array of flat row objects
      return false;
    }
    ++depth_;
    return true;
  }
  bool leave() {
    --depth_;
    return true;
  }
  bool append(boost::json::string_view part) {
    if (field_) field_->append(part.data(), part.size());
    return true;
  }
  std::string* field_for(const std::string& key) {
    if (key == "token") return &row_.token;
    if (key == "symbol") return &row_.symbol;
    if (key == "name") return &row_.name;
    if (key == "expiry") return &row_.expiry;
    if (key == "strike") return &row_.strike;
    if (key == "lotsize") return &row_.lotsize;
    if (key == "instrumenttype") return &row_.instrumenttype;
    if (key == "exch_seg") return &row_.exch_seg;
    if (key == "tick_size") return &row_.tick_size;
    return nullptr;
  }
  void finish_row() {
    ++rows_seen_;
    field_ = nullptr;
    if (auto instrument = to_instrument(row_)) sink_.add(*instrument);
  }

  sdk::InstrumentSink& sink_;
  int depth_ = 0;
  std::string key_;
  std::string* field_ = nullptr;
  ScripRow row_;
  std::size_t rows_seen_ = 0;
};

struct Download {
  sdk::InstrumentSink* sink = nullptr;
  int status = 0;
  std::size_t rows_seen = 0;
  std::string problem;
};

// Parses the body inside the host's response callback, where it is borrowed:
// the file is never copied into the plugin.
void parse_body(void* user, const oa_http_response* response) {
  auto* download = static_cast<Download*>(user);
  download->status = response->status;
  if (response->status != 200) return;
  boost::json::basic_parser<ScripHandler> parser(boost::json::parse_options{}, *download->sink);
  boost::system::error_code ec;
  parser.write_some(false, response->body.ptr, response->body.len, ec);
  download->rows_seen = parser.handler().rows_seen();
  if (ec) download->problem = "the instrument file is not a JSON array of rows (" + ec.message() + ")";
}

}  // namespace

std::optional<sdk::Instrument> to_instrument(const ScripRow& row) {
  if (row.token.empty() || row.symbol.empty() || row.exch_seg.empty()) return std::nullopt;
  sdk::Instrument out;
  out.brsymbol = row.symbol;
  out.brexchange = row.exch_seg;
  out.exchange = row.exch_seg;
  out.token = row.token;
  out.name = row.name;
  out.lotsize = std::max<std::int64_t>(1, std::llround(parsed(row.lotsize)));
  out.tick_size = parsed(row.tick_size) / 100.0;  // paise
  const auto& type = row.instrumenttype;
  if (type == "AMXIDX") {
    out.exchange = row.exch_seg + "_INDEX";
    out.symbol = index_symbol(row.name.empty() ? row.symbol : row.name, row.exch_seg);
    out.instrumenttype = "INDEX";
    if (out.tick_size <= 0) out.tick_size = 0.01;
    return out;
  }
  bool option = type.starts_with("OPT"), future = type.starts_with("FUT");
  if (!option && !future) {
    out.symbol = equity_symbol(row.symbol);
    out.instrumenttype = "EQ";
    return out;
  }
  auto expiry = expiry_forms(row.expiry);
  if (!expiry) return std::nullopt;
  out.expiry = expiry->second;
  if (future) {
    out.symbol = row.name + expiry->first + "FUT";
    out.instrumenttype = "FUT";
    return out;
  }
  auto kind = row.symbol.size() > 2 ? row.symbol.substr(row.symbol.size() - 2) : std::string();
  if (kind != "CE" && kind != "PE") return std::nullopt;
  out.strike = strike_of(row);
  out.symbol = row.name + expiry->first + strike_text(out.strike) + kind;
  out.instrumenttype = kind;
  return out;
}

std::size_t master_contract(SmartApiClient& smartapi, const sdk::Call& call, sdk::InstrumentSink& sink) {
  auto& host = smartapi.host();
  auto url = host.config_or("ANGEL_INSTRUMENTS_URL", kDefaultInstrumentsUrl);
  Download download;
  download.sink = &sink;
  oa_http_request request{sdk::view("GET"), sdk::view(url), nullptr, 0, {}, call.deadline_ms};
  char error[512] = "";
  if (host.api()->http_request(host.handle(), &request, &parse_body, &download, error, sizeof error) != OA_OK)
    throw sdk::Error(OA_ERR_UPSTREAM, "the instrument file download failed: " + std::string(error));
  if (download.status != 200)
    throw sdk::Error(OA_ERR_UPSTREAM, "the instrument file download answered HTTP " + std::to_string(download.status));
  if (!download.problem.empty()) throw sdk::Error(OA_ERR_UPSTREAM, download.problem);
  host.info("instrument file: " + std::to_string(download.rows_seen) + " rows read, " + std::to_string(sink.count()) +
            " instruments");
  return sink.count();
}

}  // namespace oa::angel
