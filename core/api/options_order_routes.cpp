#include "api/options_order_routes.hpp"

#include <algorithm>
#include <memory>
#include <optional>

#include <boost/json.hpp>

#include "api/exchanges.hpp"
#include "api/json_reply.hpp"
#include "api/option_resolution.hpp"
#include "api/options_market.hpp"
#include "api/options_request.hpp"
#include "api/order_dispatch.hpp"
#include "api/order_fields.hpp"
#include "api/order_mode_gate.hpp"
#include "api/order_results.hpp"
#include "orders/order_plans.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;
using orders::OrderReply;

// One OptionsMarket per route family: it caches the option index per broker.
struct OptionsOrderRoutes {
  explicit OptionsOrderRoutes(const ApiContext& api) : context(api), market(api) {}
  const ApiContext& context;
  OptionsMarket market;
};

std::vector<Field> order_tail() {
  return {Field::text("pricetype").choices(order_price_types()).defaults_to("MARKET"),
          Field::text("product").choices({"MIS", "NRML"}).defaults_to("MIS"),
          Field::number("price").at_least(0, "Price must be a non-negative number.").defaults_to(0.0),
          Field::number("trigger_price").at_least(0, "Trigger price must be a non-negative number.").defaults_to(0.0),
          Field::integer("disclosed_quantity")
              .at_least(0, "Disclosed quantity must be a non-negative integer.")
              .defaults_to(0)};
}

std::vector<Field> joined(std::vector<Field> head, std::vector<Field> tail) {
  for (auto& field : tail) head.push_back(std::move(field));
  return head;
}

Field option_type_field() { return Field::text("option_type").choices({"CE", "PE", "ce", "pe"}); }
Field quantity_field() { return Field::integer("quantity").at_least(1, "Quantity must be a positive integer."); }

const OptionsSchema& options_order_schema() {
  static const OptionsSchema schema{
      joined({api_key_field(), Field::text("strategy"), Field::text("underlying"),
              Field::text("exchange").choices(valid_exchanges()), Field::text("expiry_date").optional(),
              Field::integer("strike_int").optional(), Field::text("offset"), option_type_field(),
              Field::text("action").choices(order_actions()), quantity_field(),
              Field::integer("splitsize").at_least(0, "Split size must be a non-negative integer.").optional()},
             joined(order_tail(), {client_order_id_field()})),
      {"strike_int", "splitsize"},
      {range_check("strike_int", 1, std::nullopt)}};
  return schema;
}

const OptionsSchema& multi_order_schema() {
  static const OptionsSchema schema{
      {api_key_field(), Field::text("strategy"), Field::text("underlying"),
       Field::text("exchange").choices(valid_exchanges()), Field::text("expiry_date").optional(),
       Field::integer("strike_int").optional(), client_order_id_field()},
      {"strike_int"},
      {range_check("strike_int", 1, std::nullopt)},
      NestedList{"legs",
                 Schema{joined({Field::text("offset"), option_type_field(), Field::text("action").choices(order_actions()),
                                quantity_field(),
                                Field::integer("splitsize")
                                    .at_least(0, "Split size must be a non-negative integer.")
                                    .defaults_to(0),
                                Field::text("expiry_date").optional()},
                               order_tail())},
                 1, 20, "Legs must contain 1 to 20 items."},
      6};
  return schema;
}

std::optional<std::string> optional_text(const json::object& values, std::string_view key) {
  const json::value* value = values.if_contains(key);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}

std::optional<std::int64_t> strike_interval(const json::object& values) {
  const json::value* value = values.if_contains("strike_int");
  if (!value || !value->is_int64()) return std::nullopt;
  return value->get_int64();
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// The query for one contract, or the message why its offset means nothing.
std::optional<OptionQuery> option_query(const json::object& top, const json::object& order,
                                        std::optional<json::value> ltp) {
  auto offset_text = text_of(order, "offset");
  auto offset = options::parse_offset(offset_text);
  if (!offset) return std::nullopt;
  auto expiry = optional_text(order, "expiry_date");
  if (!expiry || expiry->empty()) expiry = optional_text(top, "expiry_date");
  return OptionQuery{text_of(top, "underlying"),
                     text_of(top, "exchange"),
                     expiry,
                     strike_interval(top),
                     offset_text,
                     *offset,
                     *options::parse_type_code(text_of(order, "option_type")),
                     std::move(ltp)};
}

std::string bad_offset(const std::string& offset) {
  return "Invalid offset '" + offset + "'. Use ATM, ITM1-ITM50 or OTM1-OTM50";
}

// The placeorder document for the resolved contract (D.5).
json::object contract_order(const json::object& order, const std::string& strategy, const ResolvedOption& resolved) {
  return {{"strategy", strategy},
          {"symbol", resolved.contract.symbol},
          {"exchange", resolved.contract.exchange},
          {"action", upper(text_of(order, "action"))},
          {"quantity", order.at("quantity")},
          {"pricetype", order.at("pricetype")},
          {"product", order.at("product")},
          {"price", order.at("price")},
          {"trigger_price", order.at("trigger_price")},
          {"disclosed_quantity", order.at("disclosed_quantity")}};
}

std::int64_t split_size_of(const json::object& order) {
  const json::value* value = order.if_contains("splitsize");
  return value && value->is_int64() ? value->get_int64() : 0;
}

// Sends `document` split into orders of at most `size`; `done` gets the
// split results and whether every order went through.
void send_split(const ApiContext& context, const OrderDesk& desk, json::object document,
                std::vector<std::int64_t> quantities, std::string client_order_id, std::string label,
                std::function<void(json::array, bool)> done) {
  struct Tally {
    json::array results;
    bool all_ok = true;
  };
  auto tally = std::make_shared<Tally>();
  auto step = [&context, desk, document, quantities, client_order_id, label, tally](std::size_t i,
                                                                                    std::function<void()> next) {
    json::object child = document;
    child["quantity"] = quantities[i];
    send_order(context, desk, "placeorder", plugins::Operation::PlaceOrder, std::move(child),
               orders::child_client_order_id(client_order_id, label + "." + std::to_string(i + 1)),
               [i, quantity = quantities[i], tally, next](OrderReply reply) {
                 tally->all_ok = tally->all_ok && succeeded(reply);
                 tally->results.push_back(split_result(i + 1, quantity, reply));
                 next();
               });
  };
  one_after_another(context, desk, quantities.size(), std::move(step),
                    [tally, done = std::move(done)] { done(std::move(tally->results), tally->all_ok); });
}

// C.1.9 after resolution: one order, or a split.
void send_options_order(const ApiContext& context, const OrderDesk& desk, const json::object& values,
                        const ResolvedOption& resolved, std::string client_order_id, net::Responder respond) {
  auto document = contract_order(values, text_of(values, "strategy"), resolved);
  json::object header{{"exchange", resolved.contract.exchange},
                      {"offset", values.at("offset")},
                      {"option_type", upper(text_of(values, "option_type"))},
                      {"symbol", resolved.contract.symbol},
                      {"underlying", values.at("underlying")},
                      {"underlying_ltp", resolved.underlying_ltp}};
  const auto size = split_size_of(values);
  const auto total = document.at("quantity").as_int64();
  std::optional<std::vector<std::int64_t>> quantities;
  if (size > 0) {
    quantities = orders::split_quantities(total, size);
    if (!quantities)
      return respond(jsonify(400, with_mode(json::object{{"message", orders::kTooManySplitOrders},
                                                            {"status", "error"}},
                                               desk)));
  }
  run_composite(context, desk, "optionsorder", values, client_order_id, std::move(respond),
                [&context, desk, document, header, quantities, size, total, client_order_id](Finish finish) {
                  if (!quantities)
                    return send_order(context, desk, "placeorder", plugins::Operation::PlaceOrder, document,
                                      orders::child_client_order_id(client_order_id, "order1"),
                                      [desk, header, finish](OrderReply reply) {
                                        if (!succeeded(reply)) return finish(std::move(reply));
                                        json::object body = header;
                                        body["orderid"] = text_of(reply.body, "orderid");
                                        body["status"] = "success";
                                        finish({200, with_mode(std::move(body), desk)});
                                      });
                  send_split(context, desk, document, *quantities, client_order_id, "order",
                             [desk, header, size, total, finish](json::array results, bool) {
                               json::object body = header;
                               body["results"] = std::move(results);
                               body["split_size"] = size;
                               body["status"] = "success";
                               body["total_quantity"] = total;
                               finish({200, with_mode(std::move(body), desk)});
                             });
                });
}

void execute_options_order(OptionsOrderRoutes& routes, std::optional<std::int64_t> user, OrderIntake intake,
                           net::Responder respond) {
  const ApiContext& context = routes.context;
  auto query = option_query(intake.values, intake.values, std::nullopt);
  if (!query) return respond(options_error(KeyOrder::Sorted, 400, bad_offset(text_of(intake.values, "offset"))));
  resolve_option(routes.market.view_for(user), std::move(*query),
                 [&context, user, values = std::move(intake.values), client_order_id = std::move(intake.client_order_id),
                  respond](ResolvedOption resolved) {
                   if (!resolved.ok()) return respond(options_error(KeyOrder::Sorted, resolved.status, resolved.message));
                   auto desk = order_desk(context, *user);
                   if (!desk.analyze && !broker_has(context, desk.route.broker, OA_CAP_ORDERS, "orders", respond))
                     return;
                   send_options_order(context, desk, values, resolved, client_order_id, respond);
                 });
}

// Without a known key the order still resolves first: the invalid key
// surfaces from the quote, as OpenAlgo's does (rest_api.md A.5).
void options_order(OptionsOrderRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  const ApiContext& context = routes.context;
  auto values =
      read_options_request(request, options_order_schema(), ErrorEnvelope::ValidationError, KeyOrder::Sorted, respond);
  if (!values) return;
  auto user = context.accounts.user_for_api_key(values->at("apikey").get_string());
  auto intake = intake_of(request, user.value_or(0), std::move(*values));
  if (user && held_for_approval(context, "optionsorder", intake, respond)) return;
  execute_options_order(routes, user, std::move(intake), std::move(respond));
}

// C.1.10: one leg's result, whatever happened to it.
struct Leg {
  std::size_t number = 0;  // 1-based position in the request
  json::object order;
};

json::object leg_result(const Leg& leg) {
  return {{"action", upper(text_of(leg.order, "action"))},
          {"leg", static_cast<std::int64_t>(leg.number)},
          {"offset", leg.order.at("offset")},
          {"option_type", upper(text_of(leg.order, "option_type"))}};
}

json::object failed_leg(const Leg& leg, const std::string& message) {
  auto result = leg_result(leg);
  result["message"] = message;
  result["status"] = "error";
  return result;
}

void send_leg(const ApiContext& context, const OrderDesk& desk, const MarketView& view, const json::object& top,
              const json::value& ltp, const Leg& leg, const std::string& client_order_id,
              std::function<void(json::object)> done) {
  auto query = option_query(top, leg.order, ltp);
  if (!query) return done(failed_leg(leg, bad_offset(text_of(leg.order, "offset"))));
  resolve_option(view, std::move(*query), [&context, desk, top, leg, client_order_id, done](ResolvedOption resolved) {
    if (!resolved.ok()) return done(failed_leg(leg, resolved.message));
    auto document = contract_order(leg.order, text_of(top, "strategy"), resolved);
    auto result = leg_result(leg);
    result["exchange"] = resolved.contract.exchange;
    result["symbol"] = resolved.contract.symbol;
    result["product"] = leg.order.at("product");
    result["mode"] = desk.analyze ? "analyze" : "live";
    const std::string label = "leg" + std::to_string(leg.number);
    const auto size = split_size_of(leg.order);
    if (size == 0)
      return send_order(context, desk, "placeorder", plugins::Operation::PlaceOrder, std::move(document),
                        orders::child_client_order_id(client_order_id, label),
                        [result, done](OrderReply reply) mutable {
                          if (succeeded(reply)) {
                            result["orderid"] = text_of(reply.body, "orderid");
                            result["status"] = "success";
                          } else {
                            result.erase("mode");
                            result.erase("product");
                            result["message"] = text_of(reply.body, "message");
                            result["status"] = "error";
                          }
                          done(std::move(result));
                        });
    const auto total = document.at("quantity").as_int64();
    auto quantities = orders::split_quantities(total, size);
    if (!quantities) {
      result.erase("mode");
      result.erase("product");
      result["message"] = orders::kTooManySplitOrders;
      result["status"] = "error";
      return done(std::move(result));
    }
    send_split(context, desk, std::move(document), std::move(*quantities), client_order_id, label,
               [result, size, total, done](json::array results, bool all_ok) mutable {
                 result["split_results"] = std::move(results);
                 result["split_size"] = size;
                 result["status"] = all_ok ? "success" : "error";
                 result["total_quantity"] = total;
                 done(std::move(result));
               });
  });
}

void send_legs(const ApiContext& context, const OrderDesk& desk, const MarketView& view, json::object top,
               json::value ltp, std::string client_order_id, Finish finish) {
  std::vector<Leg> legs;
  std::vector<std::string> actions;
  for (const auto& item : top.at("legs").as_array()) {
    legs.push_back({legs.size() + 1, item.as_object()});
    actions.push_back(text_of(item.as_object(), "action"));
  }
  auto sequence = orders::buys_then_sells(actions);
  auto results = std::make_shared<std::vector<json::object>>(legs.size());
  auto step = [&context, desk, view, top, ltp, legs, sequence, client_order_id, results](std::size_t i,
                                                                                       std::function<void()> next) {
    const Leg& leg = legs[sequence[i]];
    send_leg(context, desk, view, top, ltp, leg, client_order_id, [results, index = sequence[i], next](json::object r) {
      (*results)[index] = std::move(r);
      next();
    });
  };
  one_after_another(context, desk, legs.size(), std::move(step), [desk, top, ltp, results, finish] {
    json::array ordered;  // by leg number, whatever order they were sent in
    for (auto& result : *results) ordered.push_back(std::move(result));
    finish({200, with_mode(json::object{{"results", std::move(ordered)},
                                        {"status", "success"},
                                        {"underlying", top.at("underlying")},
                                        {"underlying_ltp", ltp}},
                           desk)});
  });
}

void execute_options_multi_order(OptionsOrderRoutes& routes, OrderIntake intake, net::Responder respond) {
  const ApiContext& context = routes.context;
  auto desk = order_desk(context, intake.user_id);
  if (!desk.analyze && !broker_has(context, desk.route.broker, OA_CAP_ORDERS, "orders", respond)) return;
  auto view = routes.market.view_for(intake.user_id);
  auto source = underlying_quote(*view.chains, text_of(intake.values, "underlying"), text_of(intake.values, "exchange"),
                                 static_cast<std::int64_t>(view.now_epoch_seconds));
  if (!source.ok()) return respond(options_error(KeyOrder::Sorted, source.status, source.message));
  // D.5: one quote of the underlying, used for every leg.
  view.quotes.quote(source.quoted, [&context, desk, view, top = std::move(intake.values), source,
                                    client_order_id = std::move(intake.client_order_id),
                                    respond](QuoteOutcome quote) mutable {
    if (!quote.ok())
      return respond(options_error(KeyOrder::Sorted, quote.status,
                                   "Failed to fetch LTP for " + source.quoted.symbol + ". " + quote.message));
    const json::value* ltp = quote.data.if_contains("ltp");
    if (!ltp || !ltp->is_number())
      return respond(options_error(KeyOrder::Sorted, 500, "Could not determine LTP for " + source.quoted.symbol + "."));
    run_composite(context, desk, "optionsmultiorder", top, client_order_id, std::move(respond),
                  [&context, desk, view, top, ltp = *ltp, client_order_id](Finish finish) {
                    send_legs(context, desk, view, top, ltp, client_order_id, std::move(finish));
                  });
  });
}

void options_multi_order(OptionsOrderRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  const ApiContext& context = routes.context;
  auto values =
      read_options_request(request, multi_order_schema(), ErrorEnvelope::ValidationError, KeyOrder::Sorted, respond);
  if (!values) return;
  auto user = context.accounts.user_for_api_key(values->at("apikey").get_string());
  if (!user) return respond(options_error(KeyOrder::Sorted, 403, "Invalid openalgo apikey"));
  auto intake = intake_of(request, *user, std::move(*values));
  if (held_for_approval(context, "optionsmultiorder", intake, respond)) return;
  execute_options_multi_order(routes, std::move(intake), std::move(respond));
}

using OptionsOrderHandler = void (*)(OptionsOrderRoutes&, net::HttpRequest&&, net::Responder);

}  // namespace

void add_options_order_routes(Router& router, const ApiContext& context) {
  auto routes = std::make_shared<OptionsOrderRoutes>(context);
  on_approval(context, "optionsorder", [routes](OrderIntake intake, net::Responder respond) {
    const auto user = intake.user_id;
    execute_options_order(*routes, user, std::move(intake), std::move(respond));
  });
  on_approval(context, "optionsmultiorder", [routes](OrderIntake intake, net::Responder respond) {
    execute_options_multi_order(*routes, std::move(intake), std::move(respond));
  });
  auto add = [&](const char* path, const char* summary, OptionsOrderHandler handler, const OptionsSchema& schema) {
    router.add(Route{"POST", path, summary,
                     [routes, handler](net::HttpRequest&& request, net::Responder respond) {
                       handler(*routes, std::move(request), std::move(respond));
                     },
                     RateClass::Order}
                   .documented(documented(schema)));
  };
  add("/api/v1/optionsorder", "Places an order in the option at an offset (ATM, ITMn, OTMn), split if asked",
      options_order, options_order_schema());
  add("/api/v1/optionsmultiorder", "Places up to 20 option legs, BUY legs before SELL legs", options_multi_order,
      multi_order_schema());
}

}  // namespace oa::api
