#include "api/instrument_export.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/json_text.hpp"

namespace oa::api {
namespace {

void append_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string python_float(double value) { return to_json_text(boost::json::value(value)); }

// One row as instrument_json gives it, keys in the same (alphabetical) order.
void append_json(std::string& out, const instruments::Instrument& row) {
  auto text = [&out](const char* key, const std::string& value) {
    out += key;
    out += boost::json::serialize(boost::json::string_view(value));
  };
  text("{\"brexchange\":", row.brexchange);
  text(",\"brsymbol\":", row.brsymbol);
  text(",\"exchange\":", row.exchange);
  text(",\"expiry\":", row.expiry);
  text(",\"instrumenttype\":", row.instrumenttype);
  out += ",\"lotsize\":" + std::to_string(row.lotsize);
  text(",\"name\":", row.name);
  out += ",\"strike\":" + python_float(row.strike);
  text(",\"symbol\":", row.symbol);
  out += ",\"tick_size\":" + python_float(row.tick_size);
  text(",\"token\":", row.token);
  out += '}';
}

}  // namespace

boost::json::object instrument_json(const instruments::Instrument& row) {
  return {{"brexchange", row.brexchange},
          {"brsymbol", row.brsymbol},
          {"exchange", row.exchange},
          {"expiry", row.expiry},
          {"instrumenttype", row.instrumenttype},
          {"lotsize", row.lotsize},
          {"name", row.name},
          {"strike", row.strike},
          {"symbol", row.symbol},
          {"tick_size", row.tick_size},
          {"token", row.token}};
}

std::string instruments_json_body(const std::vector<const instruments::Instrument*>& rows) {
  std::string out = "{\"data\":[";
  out.reserve(rows.size() * 256);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) out += ',';
    append_json(out, *rows[i]);
  }
  auto message =
      rows.empty() ? std::string("No instruments found") : "Found " + std::to_string(rows.size()) + " instruments";
  return out + "],\"message\":\"" + message + "\",\"status\":\"success\"}\n";
}

std::string instruments_csv(const std::vector<const instruments::Instrument*>& rows) {
  std::string out = "symbol,brsymbol,name,exchange,brexchange,token,expiry,strike,lotsize,instrumenttype,tick_size\r\n";
  out.reserve(out.size() + rows.size() * 96);
  for (const auto* row : rows) {
    for (const std::string* text :
         {&row->symbol, &row->brsymbol, &row->name, &row->exchange, &row->brexchange, &row->token, &row->expiry}) {
      append_field(out, *text);
      out += ',';
    }
    out += python_float(row->strike) + ',' + std::to_string(row->lotsize) + ',';
    append_field(out, row->instrumenttype);
    out += ',' + python_float(row->tick_size) + "\r\n";
  }
  return out;
}

}  // namespace oa::api
