#include "api/calendar_routes.hpp"

#include <boost/json.hpp>

#include "api/json_reply.hpp"
#include "api/request_body.hpp"
#include "api/schema.hpp"
#include "calendar/market_calendar.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

constexpr int kFirstYear = 2020;
constexpr int kLastYear = 2050;

const Schema& holidays_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::integer("year").optional()}};
  return schema;
}

const Schema& timings_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("date")}};
  return schema;
}

// marshmallow's Range(min=2020, max=2050) on "year"; its error comes in field order, after "apikey".
void check_year_range(Validated& input) {
  const auto* year = input.values.if_contains("year");
  if (!year || (year->get_int64() >= kFirstYear && year->get_int64() <= kLastYear)) return;
  auto at = input.errors.begin();
  if (at != input.errors.end() && at->first == "apikey") ++at;
  input.errors.insert(at, {"year", {"Must be greater than or equal to 2020 and less than or equal to 2050."}});
}

// The validated body, or nullopt after answering 400 in the V-OBJ form. The
// API key is required but never checked: OpenAlgo serves the calendar to any
// key (rest_api.md A.5, level L0).
std::optional<json::object> validated_body(const net::HttpRequest& request, const Schema& schema,
                                           const net::Responder& respond, void (*extra_check)(Validated&) = nullptr) {
  auto body = parse_json_body(request);
  if (!body.object) {
    respond(std::move(body.error));
    return std::nullopt;
  }
  auto input = validate(schema, *body.object);
  if (extra_check) extra_check(input);
  if (input.ok()) return std::move(input.values);
  respond(error_object_reply(400, errors_as_json(input.errors)));
  return std::nullopt;
}

// The calendar the request works with, or null after answering 500.
std::shared_ptr<const calendar::Calendar> calendar_or_error(const ApiContext& context, std::string_view failure,
                                                            const net::Responder& respond) {
  auto current = context.calendar ? context.calendar->current() : nullptr;
  if (!current)
    respond(error_reply(500, std::string(failure) + ": the market calendar is not loaded (see the server log)"));
  return current;
}

json::object session_json(const calendar::Session& session) {
  return json::object{{"end_time", session.end_ms}, {"exchange", session.exchange}, {"start_time", session.start_ms}};
}

json::object holiday_json(const calendar::Holiday& holiday) {
  json::array closed, open;
  for (const auto& exchange : holiday.closed_exchanges) closed.emplace_back(exchange);
  for (const auto& session : holiday.open_sessions()) open.push_back(session_json(session));
  return json::object{{"closed_exchanges", std::move(closed)},
                      {"date", calendar::date_text(holiday.date)},
                      {"description", holiday.description},
                      {"holiday_type", calendar::holiday_type_name(holiday.type)},
                      {"open_exchanges", std::move(open)}};
}

// rest_api.md C.8.1: the year's holidays by date; the year defaults to the current one in IST.
void holidays(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto body = validated_body(request, holidays_schema(), respond, check_year_range);
  if (!body) return;
  auto current = calendar_or_error(context, "An error occurred while fetching holidays", respond);
  if (!current) return;
  const auto* given = body->if_contains("year");
  int year = given ? static_cast<int>(given->get_int64()) : static_cast<int>(calendar::ist_today().year());
  json::array data;
  for (const auto* holiday : current->holidays_in(year)) data.push_back(holiday_json(*holiday));
  respond(json_reply(200, json::object{{"data", std::move(data)},
                                       {"status", "success"},
                                       {"timezone", "Asia/Kolkata"},
                                       {"year", year}}));
}

// rest_api.md C.8.2: each exchange's trading window on the date; empty when every market is closed.
void timings(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto body = validated_body(request, timings_schema(), respond);
  if (!body) return;
  auto date = calendar::parse_date(body->at("date").get_string());
  if (!date) return respond(error_reply(400, "Invalid date format. Use YYYY-MM-DD"));
  if (date->year() < std::chrono::year(kFirstYear) || date->year() > std::chrono::year(kLastYear))
    return respond(error_reply(400, "Date must be between 2020-01-01 and 2050-12-31"));
  auto current = calendar_or_error(context, "An error occurred while fetching market timings", respond);
  if (!current) return;
  json::array data;
  for (const auto& session : current->sessions_on(*date)) data.push_back(session_json(session));
  respond(json_reply(200, json::object{{"data", std::move(data)}, {"status", "success"}}));
}

}  // namespace

void add_calendar_routes(Router& router, const ApiContext& context) {
  router.add(endpoint_route(context, "POST", "/api/v1/market/holidays", "Trading holidays and special sessions of a year",
                            holidays)
                 .documented(json_body(holidays_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/market/timings", "Each exchange's trading hours on a date",
                            timings)
                 .documented(json_body(timings_schema())));
}

}  // namespace oa::api
