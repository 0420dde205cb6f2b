#include "api/symbol_routes.hpp"

#include <cctype>

#include <boost/json.hpp>

#include "api/auth_check.hpp"
#include "api/date_text.hpp"
#include "api/exchanges.hpp"
#include "api/expiry_dates.hpp"
#include "api/instrument_export.hpp"
#include "api/json_reply.hpp"
#include "api/query_string.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;
using instruments::Instrument;

// OpenAlgo reads freeze quantities from a table of its own (rest_api.md B.4);
// there is none here, so every symbol reports OpenAlgo's default.
constexpr std::int64_t kFreezeQuantity = 1;

// At most this many /search results, as OpenAlgo's in-memory search.
constexpr std::size_t kSearchLimit = 500;

const Schema& symbol_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("symbol"),
                              Field::text("exchange").choices(valid_exchanges())}};
  return schema;
}

const Schema& search_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("query"),
                              Field::text("exchange").optional().choices(valid_exchanges())}};
  return schema;
}

const Schema& expiry_schema() {
  static const Schema schema{
      {Field::text("apikey").length_between(1, 256), Field::text("symbol"),
       Field::text("exchange").choices({"NFO", "BFO", "MCX", "CDS", "NCO", "BCD", "NCDEX", "CRYPTO"}),
       Field::text("instrumenttype").choices({"futures", "options"})}};
  return schema;
}

// OpenAlgo fills absent query parameters in as null ("Field may not be
// null."); here an absent one is simply missing.
const Schema& instruments_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256),
                              Field::text("exchange").choices(valid_exchanges()),
                              Field::text("format").defaults_to("json").choices({"json", "csv"})}};
  return schema;
}

std::string text_of(const json::object& values, std::string_view key) {
  return std::string(values.at(key).get_string());
}

std::string trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::shared_ptr<const instruments::InstrumentIndex> master_of(const ApiContext& context, std::int64_t user_id) {
  return context.instruments.current(context.route_for(user_id).broker);
}

// rest_api.md C.6.1: exact, case-sensitive.
void symbol(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, symbol_schema(), context.accounts, respond);
  if (!authorised) return;
  auto symbol = text_of(authorised->values, "symbol"), exchange = text_of(authorised->values, "exchange");
  auto master = master_of(context, authorised->user_id);
  const Instrument* row = master ? master->by_symbol(symbol, exchange) : nullptr;
  if (!row) return respond(error_reply(404, "Symbol " + symbol + " not found in exchange " + exchange));
  auto data = instrument_json(*row);
  data["freeze_qty"] = kFreezeQuantity;
  data["id"] = master->id_of(*row);
  respond(json_reply(200, json::object{{"data", std::move(data)}, {"status", "success"}}));
}

// rest_api.md C.6.2.
void search(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, search_schema(), context.accounts, respond);
  if (!authorised) return;
  const auto& values = authorised->values;
  auto query = trimmed(values.at("query").get_string());
  if (query.empty()) return respond(error_reply(400, "Query parameter is required and cannot be empty"));
  auto exchange = values.contains("exchange") ? text_of(values, "exchange") : std::string();
  auto master = master_of(context, authorised->user_id);
  json::array data;
  for (const Instrument* row :
       master ? master->search(query, exchange, kSearchLimit) : std::vector<const Instrument*>{}) {
    auto item = instrument_json(*row);
    item["freeze_qty"] = kFreezeQuantity;
    data.push_back(std::move(item));
  }
  auto message = data.empty() ? std::string("No matching symbols found")
                              : "Found " + std::to_string(data.size()) + " matching symbols";
  respond(json_reply(200, json::object{{"data", std::move(data)}, {"message", message}, {"status", "success"}}));
}

Date today_in_ist() { return ist_date(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())); }

// rest_api.md C.6.3.
void expiry(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, expiry_schema(), context.accounts, respond);
  if (!authorised) return;
  const auto& values = authorised->values;
  auto underlying = upper(trimmed(values.at("symbol").get_string()));
  if (underlying.empty()) return respond(error_reply(400, "Symbol parameter is required and cannot be empty"));
  auto exchange = text_of(values, "exchange"), type = text_of(values, "instrumenttype");
  auto kind = type == "futures" ? ContractKind::Futures : ContractKind::Options;
  auto master = master_of(context, authorised->user_id);
  auto dates = master ? expiry_dates(*master, underlying, exchange, kind, today_in_ist()) : std::vector<std::string>{};
  auto what = underlying + " " + type + " in " + exchange;
  auto message = dates.empty() ? "No expiry dates found for " + what
                               : "Found " + std::to_string(dates.size()) + " expiry dates for " + what;
  respond(json_reply(
      200,
      json::object{{"data", json::array(dates.begin(), dates.end())}, {"message", message}, {"status", "success"}}));
}

// /instruments answers JSON, or with format=csv a file, and then its errors as
// plain text (rest_api.md C.6.4).
struct InstrumentsReply {
  bool csv = false;

  net::HttpResponse error(int status, const std::string& message) const {
    return csv ? net::HttpResponse{status, "text/plain", message, {}} : error_reply(status, message);
  }
  net::HttpResponse invalid(const FieldErrors& errors) const {
    return csv ? net::HttpResponse{400, "text/plain", errors_as_python_repr(errors), {}}
               : error_object_reply(400, errors_as_json(errors));
  }
};

// OpenAlgo lower-cases format before validating it.
json::object instruments_input(const QueryParameters& query) {
  json::object input;
  for (const char* name : {"apikey", "exchange", "format"})
    if (auto found = query.find(name); found != query.end()) input[name] = found->second;
  if (auto* format = input.if_contains("format")) {
    std::string lower(format->get_string());
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    *format = lower;
  }
  return input;
}

// An empty list is a header-only file (OpenAlgo answers "statusmessagedata").
net::HttpResponse instruments_file(const std::vector<const Instrument*>& rows, const std::string& exchange) {
  return net::HttpResponse{200,
                           "text/csv",
                           instruments_csv(rows),
                           {{"Content-Disposition", "attachment; filename=instruments_" + exchange + ".csv"}}};
}

void instruments(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto query = parse_query(request.query);
  auto input = validate(instruments_schema(), instruments_input(query));
  const InstrumentsReply reply{input.values.contains("format") && input.values.at("format") == "csv"};
  if (!input.ok()) return respond(reply.invalid(input.errors));
  auto user_id = context.accounts.user_for_api_key(input.values.at("apikey").get_string());
  if (!user_id) return respond(reply.error(403, "Invalid openalgo apikey"));
  auto exchange = text_of(input.values, "exchange");
  auto master = master_of(context, *user_id);
  auto rows = master ? master->on_exchange(exchange) : std::vector<const Instrument*>{};
  respond(reply.csv ? instruments_file(rows, exchange)
                    : net::HttpResponse{200, "application/json", instruments_json_body(rows), {}});
}

}  // namespace

void add_symbol_routes(Router& router, const ApiContext& context) {
  router.add(endpoint_route(context, "POST", "/api/v1/symbol", "Master-contract details of one symbol", symbol)
                 .documented(json_body(symbol_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/search", "Symbols matching a query, best first", search)
                 .documented(json_body(search_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/expiry", "Expiry dates of an underlying's futures or options", expiry)
                 .documented(json_body(expiry_schema())));
  router.add(endpoint_route(context, "GET", "/api/v1/instruments", "Every instrument of an exchange, as JSON or CSV", instruments)
                 .documented(query_parameters(instruments_schema())));
}

}  // namespace oa::api
