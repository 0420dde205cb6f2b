#include "api/options_routes.hpp"

#include <memory>

#include <boost/json.hpp>

#include "api/exchanges.hpp"
#include "api/option_chain_service.hpp"
#include "api/option_greeks_service.hpp"
#include "api/option_resolution.hpp"
#include "api/options_market.hpp"
#include "api/options_request.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

// OpenAlgo's F_AND_O_EXCHANGES: the exchange list of the Greeks schemas (B.1).
const std::vector<std::string>& derivative_exchanges() {
  static const std::vector<std::string> exchanges{"NFO", "BFO", "MCX", "CDS", "NCO", "BCD", "NCDEX", "CRYPTO"};
  return exchanges;
}

Field api_key() { return Field::text("apikey").length_between(1, 256); }

FieldCheck offset_check() {
  return {"offset", [](const json::value& value) -> std::optional<std::string> {
            if (options::parse_offset(value.get_string())) return std::nullopt;
            return "Offset must be ATM, ITM1-ITM50, or OTM1-OTM50";
          }};
}

const OptionsSchema& option_symbol_schema() {
  static const OptionsSchema schema{
      {api_key(), Field::text("strategy").optional(), Field::text("underlying"),
       Field::text("exchange").choices(valid_exchanges()), Field::text("expiry_date").optional(),
       Field::integer("strike_int").optional(), Field::text("offset"),
       Field::text("option_type").choices({"CE", "PE", "ce", "pe"})},
      {"strategy", "strike_int"},
      {range_check("strike_int", 1, std::nullopt), offset_check()}};
  return schema;
}

const OptionsSchema& option_chain_schema() {
  static const OptionsSchema schema{
      {api_key(), Field::text("underlying"), Field::text("exchange").choices(valid_exchanges()),
       Field::text("expiry_date"), Field::integer("strike_count").optional(),
       Field::boolean("with_greeks").defaults_to(false), Field::number("interest_rate").optional()},
      {"strike_count", "interest_rate"},
      {range_check("strike_count", 1, 100), range_check("interest_rate", 0, 100)}};
  return schema;
}

const OptionsSchema& synthetic_future_schema() {
  static const OptionsSchema schema{{api_key(), Field::text("underlying"),
                                     Field::text("exchange").choices(valid_exchanges()), Field::text("expiry_date")}};
  return schema;
}

const OptionsSchema& option_greeks_schema() {
  static const OptionsSchema schema{
      {api_key(), Field::text("symbol"), Field::text("exchange").choices(derivative_exchanges()),
       Field::number("interest_rate").optional(), Field::number("forward_price").optional(),
       Field::text("underlying_symbol").optional(), Field::text("underlying_exchange").optional(),
       Field::text("expiry_time").optional()},
      {},
      {range_check("interest_rate", 0, 100), range_check("forward_price", 0, std::nullopt)}};
  return schema;
}

const OptionsSchema& multi_option_greeks_schema() {
  static const OptionsSchema schema{
      {api_key(), Field::number("interest_rate").optional(), Field::text("expiry_time").optional()},
      {},
      {range_check("interest_rate", 0, 100)},
      NestedList{"symbols",
                 Schema{{Field::text("symbol"), Field::text("exchange").choices(derivative_exchanges()),
                         Field::text("underlying_symbol").optional(), Field::text("underlying_exchange").optional()}},
                 1, 50},
      1};
  return schema;
}

std::optional<std::string> text_field(const json::object& values, std::string_view key) {
  const json::value* value = values.if_contains(key);
  if (!value) return std::nullopt;
  return std::string(value->get_string());
}

std::optional<double> number_field(const json::object& values, std::string_view key) {
  const json::value* value = values.if_contains(key);
  if (!value) return std::nullopt;
  return value->to_number<double>();
}

std::string required_text(const json::object& values, std::string_view key) { return *text_field(values, key); }

// Services the handlers share; lives as long as the routes.
struct OptionsRoutes {
  const ApiContext& context;
  OptionsMarket market;

  explicit OptionsRoutes(const ApiContext& api) : context(api), market(api) {}

  // The key is checked by the quotes the flow asks for (rest_api.md A.5).
  MarketView view_for_key(const json::object& values) {
    return market.view_for(context.accounts.user_for_api_key(values.at("apikey").get_string()));
  }
};

// C.7.1: D.6 resolution; restx's insertion-ordered body.
void option_symbol(OptionsRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  auto values =
      read_options_request(request, option_symbol_schema(), ErrorEnvelope::ValidationError, KeyOrder::AsBuilt, respond);
  if (!values) return;
  const auto offset = required_text(*values, "offset");
  OptionQuery query{required_text(*values, "underlying"),
                    required_text(*values, "exchange"),
                    text_field(*values, "expiry_date"),
                    values->contains("strike_int") ? std::optional(values->at("strike_int").get_int64()) : std::nullopt,
                    offset,
                    *options::parse_offset(offset),
                    *options::parse_type_code(required_text(*values, "option_type")),
                    std::nullopt};
  resolve_option(routes.view_for_key(*values), std::move(query), [respond](ResolvedOption resolved) {
    if (!resolved.ok()) return respond(options_error(KeyOrder::AsBuilt, resolved.status, resolved.message));
    // No exchange freeze-quantity table here: OpenAlgo's default for an unknown underlying (B.4).
    json::object body{{"status", "success"},
                      {"symbol", resolved.contract.symbol},
                      {"exchange", resolved.contract.exchange},
                      {"lotsize", resolved.contract.lotsize},
                      {"tick_size", resolved.contract.tick_size},
                      {"freeze_qty", 1},
                      {"underlying_ltp", resolved.underlying_ltp}};
    respond(options_reply(KeyOrder::AsBuilt, 200, body));
  });
}

// C.7.2
void option_chain_route(OptionsRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  auto values =
      read_options_request(request, option_chain_schema(), ErrorEnvelope::ValidationError, KeyOrder::AsBuilt, respond);
  if (!values) return;
  ChainQuery query{required_text(*values, "underlying"),  required_text(*values, "exchange"),
                   required_text(*values, "expiry_date"), std::nullopt,
                   values->at("with_greeks").get_bool(),  number_field(*values, "interest_rate")};
  if (values->contains("strike_count"))
    query.strike_count = static_cast<std::size_t>(values->at("strike_count").get_int64());
  option_chain(routes.view_for_key(*values), std::move(query), [respond](ChainAnswer answer) {
    respond(options_reply(KeyOrder::AsBuilt, answer.status, answer.body));
  });
}

// C.7.3: `underlying` and `expiry` echo the request.
void synthetic_future_route(OptionsRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  auto values = read_options_request(request, synthetic_future_schema(), ErrorEnvelope::ValidationError,
                                     KeyOrder::Sorted, respond);
  if (!values) return;
  auto underlying = required_text(*values, "underlying"), expiry = required_text(*values, "expiry_date");
  synthetic_future(routes.view_for_key(*values), underlying, required_text(*values, "exchange"), expiry,
                   [respond, underlying, expiry](SyntheticFuture synthetic) {
                     if (!synthetic.ok())
                       return respond(options_error(KeyOrder::Sorted, synthetic.status, synthetic.message));
                     respond(options_reply(KeyOrder::Sorted, 200,
                                           json::object{{"status", "success"},
                                                        {"underlying", underlying},
                                                        {"underlying_ltp", synthetic.underlying_ltp},
                                                        {"expiry", expiry},
                                                        {"atm_strike", synthetic.atm_strike},
                                                        {"synthetic_future_price", synthetic.price}}));
                   });
}

// The Greeks endpoints check the key themselves, answering 401 (A.5).
std::optional<MarketView> greeks_view(OptionsRoutes& routes, const json::object& values,
                                      const net::Responder& respond) {
  auto user = routes.context.accounts.user_for_api_key(values.at("apikey").get_string());
  if (!user) {
    respond(options_error(KeyOrder::Sorted, 401, "Invalid openalgo apikey"));
    return std::nullopt;
  }
  return routes.market.view_for(user);
}

GreeksQuery greeks_query(const json::object& item, const json::object& common) {
  return {required_text(item, "symbol"),         required_text(item, "exchange"),
          number_field(common, "interest_rate"), number_field(item, "forward_price"),
          text_field(item, "underlying_symbol"), text_field(item, "underlying_exchange"),
          text_field(common, "expiry_time")};
}

// C.7.4
void option_greeks_route(OptionsRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  auto values =
      read_options_request(request, option_greeks_schema(), ErrorEnvelope::ValidationFailed, KeyOrder::Sorted, respond);
  if (!values) return;
  auto view = greeks_view(routes, *values, respond);
  if (!view) return;
  single_option_greeks(*view, greeks_query(*values, *values), [respond](GreeksReport report) {
    respond(options_reply(KeyOrder::Sorted, report.status, report.body));
  });
}

// C.7.5: 200 whatever the per-symbol outcomes.
void multi_option_greeks_route(OptionsRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  auto values = read_options_request(request, multi_option_greeks_schema(), ErrorEnvelope::ValidationFailed,
                                     KeyOrder::Sorted, respond);
  if (!values) return;
  auto view = greeks_view(routes, *values, respond);
  if (!view) return;
  std::vector<GreeksQuery> queries;
  for (const auto& item : values->at("symbols").get_array())
    queries.push_back(greeks_query(item.get_object(), *values));
  multi_option_greeks(*view, std::move(queries),
                      [respond](json::object body) { respond(options_reply(KeyOrder::Sorted, 200, body)); });
}

using OptionsHandler = void (*)(OptionsRoutes&, net::HttpRequest&&, net::Responder);

}  // namespace

void add_options_routes(Router& router, const ApiContext& context) {
  auto routes = std::make_shared<OptionsRoutes>(context);
  auto add = [&](const char* path, const char* summary, OptionsHandler handler, const OptionsSchema& schema,
                 RateClass limit = RateClass::Api) {
    router.add(Route{"POST", path, summary,
                     [routes, handler](net::HttpRequest&& request, net::Responder respond) {
                       handler(*routes, std::move(request), std::move(respond));
                     },
                     limit}
                   .documented(documented(schema)));
  };
  add("/api/v1/optionsymbol", "Option contract at an offset (ATM, ITMn, OTMn) from the underlying's price",
      option_symbol, option_symbol_schema());
  add("/api/v1/optionchain", "Option chain around the money, quoted, optionally with IV and Greeks",
      option_chain_route, option_chain_schema());
  add("/api/v1/syntheticfuture", "Synthetic future price from the at-the-money call and put", synthetic_future_route,
      synthetic_future_schema());
  add("/api/v1/optiongreeks", "Implied volatility and Greeks of one option (Black-76)", option_greeks_route,
      option_greeks_schema(), RateClass::Greeks);
  add("/api/v1/multioptiongreeks", "Implied volatility and Greeks of up to 50 options", multi_option_greeks_route,
      multi_option_greeks_schema());
}

}  // namespace oa::api
