#include "api/market_data_routes.hpp"

#include <boost/json.hpp>

#include "api/auth_check.hpp"
#include "api/exchanges.hpp"
#include "api/json_reply.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

const Schema& quotes_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("symbol"),
                              Field::text("exchange").choices(valid_exchanges())}};
  return schema;
}

// rest_api.md C.5.1: the symbol must be in the broker's master contract.
std::optional<std::string> unknown_symbol(const ApiContext& context, const std::string& broker,
                                          std::string_view symbol, std::string_view exchange) {
  auto index = context.instruments.current(broker);
  if (index && index->by_symbol(symbol, exchange)) return std::nullopt;
  return "Symbol '" + std::string(symbol) + "' not found for exchange '" + std::string(exchange) +
         "'. Please verify the symbol name and ensure master contracts are downloaded.";
}

// Answers with the plugin's document as "data", or its error in the envelope.
void reply_with_outcome(const net::Responder& respond, const plugins::Outcome& outcome) {
  if (!outcome.ok()) return respond(error_reply(http_status_for(outcome.status), outcome.message));
  boost::system::error_code ec;
  auto data = json::parse(outcome.json, ec);
  if (ec) return respond(error_reply(500, "The broker plugin returned malformed data"));
  respond(json_reply(200, json::object{{"data", std::move(data)}, {"status", "success"}}));
}

void quotes(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, quotes_schema(), context.accounts, respond);
  if (!authorised) return;
  const auto& values = authorised->values;
  std::string symbol(values.at("symbol").get_string()), exchange(values.at("exchange").get_string());
  auto route = context.route_for(authorised->user_id);
  if (auto problem = unknown_symbol(context, route.broker, symbol, exchange)) return respond(error_reply(400, *problem));
  auto document = json::serialize(json::object{{"symbol", symbol}, {"exchange", exchange}});
  context.plugins.call(route.broker, plugins::Operation::Quotes, std::move(document), std::move(route.session),
                       [respond = std::move(respond)](plugins::Outcome outcome) { reply_with_outcome(respond, outcome); });
}

}  // namespace

void add_market_data_routes(Router& router, const ApiContext& context) {
  router.add({"POST", "/api/v1/quotes", "Real-time quote of one symbol",
              [&context](net::HttpRequest&& request, net::Responder respond) {
                quotes(context, std::move(request), std::move(respond));
              }});
}

}  // namespace oa::api
