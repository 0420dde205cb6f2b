#include "api/market_data_routes.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include <boost/json.hpp>

#include "api/auth_check.hpp"
#include "api/date_text.hpp"
#include "api/exchanges.hpp"
#include "api/json_reply.hpp"
#include "api/market_data_format.hpp"
#include "api/query_string.hpp"
#include "api/request_body.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

const Schema& quotes_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("symbol"),
                              Field::text("exchange").choices(valid_exchanges())}};
  return schema;
}

const Schema& intervals_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256)}};
  return schema;
}

// start_date and end_date are dates (see check_dates).
const Schema& history_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("symbol"),
                              Field::text("exchange").choices(valid_exchanges()),
                              Field::text("interval").choices(history_intervals()), Field::text("start_date"),
                              Field::text("end_date"),
                              Field::text("source").defaults_to("api").choices({"api", "db"})}};
  return schema;
}

// /ticker validates with the history schema; its dates arrive as "from" and
// "to", and errors name them so (OpenAlgo names them start_date/end_date).
const Schema& ticker_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("symbol"),
                              Field::text("exchange").choices(valid_exchanges()),
                              Field::text("interval").choices(history_intervals()), Field::text("from"),
                              Field::text("to")}};
  return schema;
}

// What /ticker takes in its query (the symbol is in the path), for the API docs.
const Schema& ticker_query_doc() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256),
                              Field::text("interval").choices(history_intervals()), Field::text("from"),
                              Field::text("to"), Field::text("format").defaults_to("json").choices({"json", "txt"})}};
  return schema;
}

const Schema& multiquotes_rest_schema() {
  static const Schema rest{{Field::text("apikey").length_between(1, 256)}};
  return rest;
}

// One item of /multiquotes' "symbols".
const Schema& symbol_item_schema() {
  static const Schema schema{{Field::text("symbol"), Field::text("exchange").choices(valid_exchanges())}};
  return schema;
}

// Adds an error for `name` where the schema's field order puts it.
void insert_error(const Schema& schema, FieldErrors& errors, std::string_view name, std::string message) {
  auto order = [&schema](std::string_view field) {
    auto found = std::find_if(schema.fields.begin(), schema.fields.end(),
                              [field](const Field& declared) { return declared.name == field; });
    return static_cast<std::size_t>(found - schema.fields.begin());  // unknown keys: after every field
  };
  auto at =
      std::find_if(errors.begin(), errors.end(), [&](const auto& error) { return order(error.first) > order(name); });
  errors.insert(at, {std::string(name), {std::move(message)}});
}

// marshmallow's Date fields (format "%Y-%m-%d"), which schema.hpp has no kind
// for: declared as text, they must also read as dates, and are passed on as
// YYYY-MM-DD.
void check_dates(const Schema& schema, std::initializer_list<std::string_view> names, Validated& input) {
  for (auto name : names) {
    for (auto& [field, messages] : input.errors)
      if (field == name && messages.front() == "Not a valid string.") messages.front() = "Not a valid date.";
    auto* value = input.values.if_contains(name);
    if (!value) continue;
    if (auto date = parse_iso_date(value->get_string())) {
      *value = iso_date_text(*date);
      continue;
    }
    input.values.erase(name);
    insert_error(schema, input.errors, name, "Not a valid date.");
  }
}

// The validated and authorised body of an endpoint with date fields, or
// nullopt after answering (400 or 403).
std::optional<AuthorisedRequest> authorise_dated(const ApiContext& context, const net::HttpRequest& request,
                                                 const Schema& schema, std::initializer_list<std::string_view> dates,
                                                 const net::Responder& respond) {
  auto body = parse_json_body(request);
  if (!body.object) {
    respond(std::move(body.error));
    return std::nullopt;
  }
  auto input = validate(schema, *body.object);
  check_dates(schema, dates, input);
  if (!input.ok()) {
    respond(error_object_reply(400, errors_as_json(input.errors)));
    return std::nullopt;
  }
  auto user_id = context.accounts.user_for_api_key(input.values.at("apikey").get_string());
  if (!user_id) {
    respond(error_reply(403, "Invalid openalgo apikey"));
    return std::nullopt;
  }
  return AuthorisedRequest{*user_id, std::move(input.values)};
}

std::string text_of(const json::object& values, std::string_view key) {
  return std::string(values.at(key).get_string());
}

// rest_api.md C.5.1: the symbol must be in the broker's master contract.
std::optional<std::string> unknown_symbol(const ApiContext& context, const std::string& broker, std::string_view symbol,
                                          std::string_view exchange) {
  auto index = context.instruments.current(broker);
  if (index && index->by_symbol(symbol, exchange)) return std::nullopt;
  return "Symbol '" + std::string(symbol) + "' not found for exchange '" + std::string(exchange) +
         "'. Please verify the symbol name and ensure master contracts are downloaded.";
}

// The plugin's document, or nullopt after answering with its error.
std::optional<json::value> document_of(const plugins::Outcome& outcome, const net::Responder& respond) {
  if (!outcome.ok()) {
    respond(error_reply(http_status_for(outcome.status), outcome.message));
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto document = json::parse(outcome.json, ec);
  if (!ec) return document;
  respond(error_reply(500, "The broker plugin returned malformed data"));
  return std::nullopt;
}

net::HttpResponse data_reply(json::value data) {
  return json_reply(200, json::object{{"data", std::move(data)}, {"status", "success"}});
}

net::HttpResponse malformed_reply() { return error_reply(500, "The broker plugin returned malformed data"); }

void call_plugin(const ApiContext& context, BrokerRoute route, plugins::Operation operation,
                 const json::object& document, std::function<void(plugins::Outcome)> done) {
  context.plugins.call(route.broker, operation, json::serialize(document), std::move(route.session), std::move(done));
}

// /quotes and /depth: one symbol, checked against the master, answered with
// the plugin's document (shaped by `shape`) as "data".
void symbol_data(const ApiContext& context, net::HttpRequest&& request, net::Responder respond,
                 plugins::Operation operation, std::function<bool(json::value&)> shape) {
  auto authorised = authorise(request, quotes_schema(), context.accounts, respond);
  if (!authorised) return;
  const auto& values = authorised->values;
  auto symbol = text_of(values, "symbol"), exchange = text_of(values, "exchange");
  auto route = context.route_for(authorised->user_id);
  if (auto problem = unknown_symbol(context, route.broker, symbol, exchange))
    return respond(error_reply(400, *problem));
  call_plugin(context, std::move(route), operation, json::object{{"symbol", symbol}, {"exchange", exchange}},
              [respond = std::move(respond), shape = std::move(shape)](plugins::Outcome outcome) {
                auto document = document_of(outcome, respond);
                if (!document) return;
                if (!shape(*document)) return respond(malformed_reply());
                respond(data_reply(std::move(*document)));
              });
}

void quotes(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  symbol_data(context, std::move(request), std::move(respond), plugins::Operation::Quotes,
              [](json::value& document) { return document.is_object(); });
}

// rest_api.md C.5.3: five levels a side, padded.
void depth(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  symbol_data(context, std::move(request), std::move(respond), plugins::Operation::Depth, [](json::value& document) {
    if (!document.is_object()) return false;
    pad_depth(document.get_object());
    return true;
  });
}

// /multiquotes' "symbols": marshmallow's List(Nested(...), Length(min=1)),
// which schema.hpp has no kind for. The error, or null when it is valid.
json::value symbols_error(const json::value* symbols) {
  auto list_error = [](const char* message) { return json::value(json::array{json::string(message)}); };
  if (!symbols) return list_error("Missing data for required field.");
  if (symbols->is_null()) return list_error("Field may not be null.");
  if (!symbols->is_array()) return list_error("Not a valid list.");
  json::object items;
  const auto& list = symbols->get_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object()) {
      items[std::to_string(i)] = json::object{{"_schema", json::array{"Invalid input type."}}};
      continue;
    }
    auto item = validate(symbol_item_schema(), list[i].get_object());
    if (!item.ok()) items[std::to_string(i)] = errors_as_json(item.errors);
  }
  if (!items.empty()) return items;
  if (list.empty()) return list_error("Shorter than minimum length 1.");
  return nullptr;
}

// The validated /multiquotes body (apikey and symbols), or nullopt after a 400.
std::optional<json::object> validate_multiquotes(const json::object& body, const net::Responder& respond) {
  json::object without_symbols = body;
  without_symbols.erase("symbols");
  auto input = validate(multiquotes_rest_schema(), without_symbols);
  auto symbols = symbols_error(body.if_contains("symbols"));
  if (input.ok() && symbols.is_null()) {
    input.values["symbols"] = body.at("symbols");
    return std::move(input.values);
  }
  json::object errors;  // field order: apikey, symbols, then unknown keys
  for (const auto& [field, messages] : input.errors)
    if (field == "apikey") errors[field] = json::array(messages.begin(), messages.end());
  if (!symbols.is_null()) errors["symbols"] = std::move(symbols);
  for (const auto& [field, messages] : input.errors)
    if (field != "apikey") errors[field] = json::array(messages.begin(), messages.end());
  respond(error_object_reply(400, std::move(errors)));
  return std::nullopt;
}

// Asks for each symbol's quote on its own, for brokers without a batch call,
// and answers once all are in, in request order.
void quotes_one_by_one(const ApiContext& context, const BrokerRoute& route, json::array valid, json::array results,
                       net::Responder respond) {
  struct Gathering {
    std::mutex mutex;
    json::array results;
    std::size_t first = 0, pending = 0;
    net::Responder respond;
  };
  auto gathering = std::make_shared<Gathering>();
  gathering->first = results.size();
  gathering->pending = valid.size();
  gathering->results = std::move(results);
  gathering->results.resize(gathering->first + valid.size());
  gathering->respond = std::move(respond);
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto& item = valid[i].get_object();
    call_plugin(context, route, plugins::Operation::Quotes, item, [gathering, item, i](plugins::Outcome outcome) {
      json::object result{{"exchange", item.at("exchange")}, {"symbol", item.at("symbol")}};
      boost::system::error_code ec;
      auto data = outcome.ok() ? json::parse(outcome.json, ec) : json::value();
      if (outcome.ok() && !ec)
        result["data"] = std::move(data);
      else
        result["error"] = outcome.ok() ? "The broker plugin returned malformed data" : outcome.message;
      std::lock_guard lock(gathering->mutex);
      gathering->results[gathering->first + i] = std::move(result);
      if (--gathering->pending == 0)
        gathering->respond(
            json_reply(200, json::object{{"results", std::move(gathering->results)}, {"status", "success"}}));
    });
  }
}

// rest_api.md C.5.2: symbols missing from the master are answered as errors,
// listed first; when none is left, the request fails with them.
void multiquotes(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto body = parse_json_body(request);
  if (!body.object) return respond(std::move(body.error));
  auto values = validate_multiquotes(*body.object, respond);
  if (!values) return;
  auto user_id = context.accounts.user_for_api_key(values->at("apikey").get_string());
  if (!user_id) return respond(error_reply(403, "Invalid openalgo apikey"));
  auto route = context.route_for(*user_id);
  json::array invalid, valid;
  for (const auto& item : values->at("symbols").get_array()) {
    auto symbol = text_of(item.get_object(), "symbol"), exchange = text_of(item.get_object(), "exchange");
    if (auto problem = unknown_symbol(context, route.broker, symbol, exchange))
      invalid.push_back(json::object{{"error", *problem}, {"exchange", exchange}, {"symbol", symbol}});
    else
      valid.push_back(json::object{{"symbol", symbol}, {"exchange", exchange}});
  }
  if (valid.empty()) {
    auto first_error = invalid.front().at("error");
    return respond(json_reply(
        400, json::object{
                 {"invalid_symbols", std::move(invalid)}, {"message", std::move(first_error)}, {"status", "error"}}));
  }
  auto manifest = context.plugins.manifest(route.broker);
  if (manifest && !(manifest->capabilities & OA_CAP_MULTIQUOTES))
    return quotes_one_by_one(context, route, std::move(valid), std::move(invalid), std::move(respond));
  call_plugin(context, std::move(route), plugins::Operation::Multiquotes, json::object{{"symbols", std::move(valid)}},
              [respond = std::move(respond), invalid = std::move(invalid)](plugins::Outcome outcome) mutable {
                auto document = document_of(outcome, respond);
                if (!document) return;
                const auto* results = document->is_object() ? document->get_object().if_contains("results") : nullptr;
                if (!results || !results->is_array()) return respond(malformed_reply());
                for (const auto& result : results->get_array()) invalid.push_back(result);
                respond(json_reply(200, json::object{{"results", std::move(invalid)}, {"status", "success"}}));
              });
}

// The interval must be one the broker serves, else a clear 400 before any call.
std::optional<std::string> unsupported_interval(const ApiContext& context, const std::string& broker,
                                                const std::string& interval) {
  auto manifest = context.plugins.manifest(broker);
  if (!manifest) return std::nullopt;  // the plugin call reports the missing broker
  const auto& served = manifest->intervals;
  if (std::find(served.begin(), served.end(), interval) != served.end()) return std::nullopt;
  std::string list;
  for (const auto& each : served) list += (list.empty() ? "" : ", ") + each;
  return "Interval '" + interval + "' is not supported by broker '" + broker +
         "'. Supported intervals: " + (list.empty() ? "none" : list);
}

// The broker's candles for a validated history request, tidied, to `done`;
// errors go to `fail` with their status.
void fetch_candles(const ApiContext& context, BrokerRoute route, json::object document,
                   std::function<void(json::array)> done, std::function<void(int, std::string)> fail) {
  call_plugin(context, std::move(route), plugins::Operation::History, document,
              [done = std::move(done), fail = std::move(fail)](plugins::Outcome outcome) {
                if (!outcome.ok()) return fail(http_status_for(outcome.status), outcome.message);
                boost::system::error_code ec;
                auto parsed = json::parse(outcome.json, ec);
                const auto* candles = !ec && parsed.is_object() ? parsed.get_object().if_contains("candles") : nullptr;
                auto tidy = candles && candles->is_array() ? tidy_candles(candles->get_array()) : std::nullopt;
                if (!tidy) return fail(500, "The broker plugin returned malformed data");
                done(std::move(*tidy));
              });
}

// rest_api.md C.5.4. source "db" (OpenAlgo's Historify DuckDB) has no
// counterpart here and is refused plainly.
void history(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise_dated(context, request, history_schema(), {"start_date", "end_date"}, respond);
  if (!authorised) return;
  auto& values = authorised->values;
  if (values.at("source") == "db")
    return respond(error_reply(501,
                               "The local history database (Historify) is not available in openalgod; "
                               "use source 'api' to fetch history from the broker"));
  auto symbol = text_of(values, "symbol"), exchange = text_of(values, "exchange"),
       interval = text_of(values, "interval");
  auto route = context.route_for(authorised->user_id);
  if (auto problem = unknown_symbol(context, route.broker, symbol, exchange))
    return respond(error_reply(400, *problem));
  if (auto problem = unsupported_interval(context, route.broker, interval)) return respond(error_reply(400, *problem));
  json::object document{{"symbol", symbol},
                        {"exchange", exchange},
                        {"interval", interval},
                        {"start_date", values.at("start_date")},
                        {"end_date", values.at("end_date")}};
  fetch_candles(
      context, std::move(route), std::move(document),
      [respond](json::array candles) { respond(data_reply(std::move(candles))); },
      [respond](int status, std::string message) { respond(error_reply(status, message)); });
}

// rest_api.md C.5.5, from the intervals the plugin's manifest declares.
void intervals(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, intervals_schema(), context.accounts, respond);
  if (!authorised) return;
  auto broker = context.route_for(authorised->user_id).broker;
  auto manifest = context.plugins.manifest(broker);
  if (!manifest) return respond(error_reply(404, "Broker-specific module not found"));
  respond(data_reply(interval_groups(manifest->intervals)));
}

// /ticker answers JSON, or plain text with format=txt, errors included.
struct TickerReply {
  bool text = false;

  net::HttpResponse plain(int status, std::string body) const {
    return net::HttpResponse{status, "text/plain", std::move(body), {}};
  }
  net::HttpResponse error(int status, const std::string& message) const {
    return text ? plain(status, message) : error_reply(status, message);
  }
  net::HttpResponse invalid(const FieldErrors& errors) const {
    return text ? plain(400, errors_as_python_repr(errors)) : error_object_reply(400, errors_as_json(errors));
  }
};

// "NSE:RELIANCE" -> {exchange, symbol}. OpenAlgo turns a segment without a
// colon into NSE:RELIANCE whatever it names; here it is that symbol on NSE.
std::pair<std::string, std::string> ticker_symbol(std::string_view segment) {
  auto decoded = percent_decode(segment, false);
  auto colon = decoded.find(':');
  if (colon == std::string::npos) return {"NSE", decoded};
  return {decoded.substr(0, colon), decoded.substr(colon + 1)};
}

// The ticker request as the history schema sees it: only the parameters it
// reads, so other query parameters (adjusted, sort) are ignored as in OpenAlgo.
json::object ticker_input(const QueryParameters& query, std::string_view segment) {
  auto [exchange, symbol] = ticker_symbol(segment);
  json::object input{{"symbol", symbol}, {"exchange", exchange}, {"interval", "D"}};
  for (const char* name : {"apikey", "interval", "from", "to"})
    if (auto found = query.find(name); found != query.end()) input[name] = found->second;
  return input;
}

bool wants_text(const QueryParameters& query) {
  auto found = query.find("format");
  if (found == query.end()) return false;
  std::string format = found->second;
  for (auto& c : format) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return format == "txt";
}

// rest_api.md C.5.6: history over a GET, with the range clamped.
void ticker(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto query = parse_query(request.query);
  const TickerReply reply{wants_text(query)};
  auto input = validate(ticker_schema(), ticker_input(query, last_path_segment(request.path)));
  check_dates(ticker_schema(), {"from", "to"}, input);
  if (!input.ok()) return respond(reply.invalid(input.errors));
  const auto& values = input.values;
  auto user_id = context.accounts.user_for_api_key(values.at("apikey").get_string());
  if (!user_id) return respond(reply.error(403, reply.text ? "Invalid openalgo apikey\n" : "Invalid openalgo apikey"));
  auto symbol = text_of(values, "symbol"), exchange = text_of(values, "exchange"),
       interval = text_of(values, "interval");
  auto route = context.route_for(*user_id);
  if (auto problem = unknown_symbol(context, route.broker, symbol, exchange))
    return respond(reply.error(400, *problem));
  if (auto problem = unsupported_interval(context, route.broker, interval)) return respond(reply.error(400, *problem));
  auto end = *parse_iso_date(values.at("to").get_string());
  auto start = ticker_start(interval, *parse_iso_date(values.at("from").get_string()), end);
  json::object document{{"symbol", symbol},
                        {"exchange", exchange},
                        {"interval", interval},
                        {"start_date", iso_date_text(start)},
                        {"end_date", iso_date_text(end)}};
  fetch_candles(
      context, std::move(route), std::move(document),
      [respond, reply, exchange, symbol, interval](json::array candles) {
        if (!reply.text) return respond(data_reply(std::move(candles)));
        respond(reply.plain(200, ticker_text(exchange, symbol, interval, candles)));
      },
      [respond, reply](int status, std::string message) { respond(reply.error(status, message)); });
}

}  // namespace

void add_market_data_routes(Router& router, const ApiContext& context) {
  router.add(endpoint_route(context, "POST", "/api/v1/quotes", "Real-time quote of one symbol", quotes)
                 .documented(json_body(quotes_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/multiquotes", "Real-time quotes of several symbols", multiquotes)
                 .documented(json_body(multiquotes_rest_schema(), {{"symbols", &symbol_item_schema()}})));
  router.add(endpoint_route(context, "POST", "/api/v1/depth", "Market depth (five levels a side) of one symbol", depth)
                 .documented(json_body(quotes_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/history", "Historical candles of one symbol", history)
                 .documented(json_body(history_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/intervals", "The history intervals the broker serves", intervals)
                 .documented(json_body(intervals_schema())));
  router.add(endpoint_route(context, "GET", "/api/v1/ticker/<exchange:symbol>",
      "Historical candles over GET, as JSON or text lines (format=txt)", ticker)
                 .documented(query_parameters(ticker_query_doc())));
}

}  // namespace oa::api
