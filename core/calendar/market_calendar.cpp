#include "calendar/market_calendar.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace oa::calendar {
namespace {

namespace json = boost::json;
using namespace std::chrono;

constexpr minutes kIstOffset{330};  // UTC+05:30, no daylight saving
constexpr hours kLatestEnd{48};     // a session may run into the next day, not further

struct HolidayTypeName {
  HolidayType type;
  std::string_view name;
};
constexpr std::array<HolidayTypeName, 3> kHolidayTypes{{{HolidayType::Trading, "TRADING_HOLIDAY"},
                                                        {HolidayType::Settlement, "SETTLEMENT_HOLIDAY"},
                                                        {HolidayType::SpecialSession, "SPECIAL_SESSION"}}};

bool is_digits(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// "HH:MM" or "HH:MM:SS", hours 0..47.
std::optional<milliseconds> parse_clock(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t from = 0;;) {
    auto colon = text.find(':', from);
    parts.push_back(text.substr(from, colon == std::string_view::npos ? std::string_view::npos : colon - from));
    if (colon == std::string_view::npos) break;
    from = colon + 1;
  }
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  for (auto part : parts)
    if (part.size() != 2 || !is_digits(part)) return std::nullopt;
  int h = to_int(parts[0]), m = to_int(parts[1]), s = parts.size() == 3 ? to_int(parts[2]) : 0;
  if (m > 59 || s > 59) return std::nullopt;
  milliseconds offset = hours(h) + minutes(m) + seconds(s);
  if (offset >= kLatestEnd) return std::nullopt;
  return offset;
}

bool is_exchange_code(std::string_view code) {
  return !code.empty() && code.size() <= 16 && std::ranges::all_of(code, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::size_t line_of(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

// Reads the file's JSON into a Calendar, naming the entry at fault in every error.
class Reader {
 public:
  explicit Reader(std::string_view origin) : origin_(origin) {}

  [[noreturn]] void fail(std::string_view where, std::string_view what) const {
    if (where.empty()) throw CalendarError(fmt::format("market calendar '{}': {}", origin_, what));
    throw CalendarError(fmt::format("market calendar '{}': {}: {}", origin_, where, what));
  }

  json::value parse_json(std::string_view text) const {
    json::stream_parser parser;
    boost::system::error_code ec;
    std::size_t used = parser.write(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) fail("", fmt::format("not valid JSON (line {}): {}", line_of(text, used), ec.message()));
    return parser.release();
  }

  const json::object& object(const json::value& value, std::string_view where) const {
    if (!value.is_object()) fail(where, "must be a JSON object");
    return value.get_object();
  }

  void only_keys(const json::object& object, const std::vector<std::string_view>& allowed,
                 std::string_view where) const {
    for (const auto& [key, _] : object)
      if (std::ranges::find(allowed, std::string_view(key)) == allowed.end())
        fail(where, fmt::format("unknown key '{}'", std::string_view(key)));
  }

  const json::value* optional(const json::object& object, std::string_view key) const {
    return object.if_contains(key);
  }

  const json::value& required(const json::object& object, std::string_view key, std::string_view where) const {
    const json::value* value = object.if_contains(key);
    if (!value) fail(where, fmt::format("'{}' is missing", key));
    return *value;
  }

  std::string text(const json::value& value, std::string_view where) const {
    if (!value.is_string()) fail(where, "must be a string");
    return std::string(value.get_string());
  }

  const json::array& array(const json::value& value, std::string_view where) const {
    if (!value.is_array()) fail(where, "must be a JSON array");
    return value.get_array();
  }

  std::string exchange(const json::value& value, std::string_view where) const {
    auto code = text(value, where);
    if (!is_exchange_code(code)) fail(where, fmt::format("'{}' is not an exchange code like NSE or MCX", code));
    return code;
  }

  // {"exchange": "NSE", "start": "09:15", "end": "15:30"}, plus the `extra` keys the caller reads.
  Window window(const json::value& value, const std::string& where, std::vector<std::string_view> extra = {}) const {
    const auto& entry = object(value, where);
    extra.insert(extra.end(), {"exchange", "start", "end"});
    only_keys(entry, extra, where);
    Window out{exchange(required(entry, "exchange", where), where + ".exchange"), {}, {}};
    out.start = clock(required(entry, "start", where), where + ".start");
    out.end = clock(required(entry, "end", where), where + ".end");
    if (out.start >= hours(24)) fail(where + ".start", "must be before 24:00");
    if (out.end <= out.start) fail(where, "'end' must be after 'start' (write 24:15 for 00:15 the next day)");
    return out;
  }

  milliseconds clock(const json::value& value, std::string_view where) const {
    auto given = text(value, where);
    auto offset = parse_clock(given);
    if (!offset) fail(where, fmt::format("'{}' is not a time like 09:15 or 23:59:59 (IST)", given));
    return *offset;
  }

  HolidayType holiday_type(const json::value& value, std::string_view where) const {
    auto name = text(value, where);
    for (const auto& known : kHolidayTypes)
      if (known.name == name) return known.type;
    fail(where, fmt::format("'{}' is not TRADING_HOLIDAY, SETTLEMENT_HOLIDAY or SPECIAL_SESSION", name));
  }

  Holiday holiday(const json::value& value, const std::string& where) const {
    const auto& entry = object(value, where);
    only_keys(entry, {"date", "description", "holiday_type", "closed_exchanges", "open_exchanges", "note"}, where);
    Holiday out;
    auto date = text(required(entry, "date", where), where + ".date");
    auto parsed = parse_date(date);
    if (!parsed) fail(where + ".date", fmt::format("'{}' is not a date like 2026-01-26", date));
    out.date = *parsed;
    const std::string at = where + " (" + date_text(out.date) + ")";
    out.description = text(required(entry, "description", at), at + ".description");
    if (out.description.empty()) fail(at + ".description", "must not be empty");
    out.type = holiday_type(required(entry, "holiday_type", at), at + ".holiday_type");
    if (const auto* closed = optional(entry, "closed_exchanges")) {
      const auto& list = array(*closed, at + ".closed_exchanges");
      for (std::size_t i = 0; i < list.size(); ++i)
        out.closed_exchanges.push_back(exchange(list[i], fmt::format("{}.closed_exchanges[{}]", at, i)));
    }
    if (const auto* open = optional(entry, "open_exchanges")) {
      const auto& list = array(*open, at + ".open_exchanges");
      for (std::size_t i = 0; i < list.size(); ++i)
        out.open_exchanges.push_back(window(list[i], fmt::format("{}.open_exchanges[{}]", at, i)));
    }
    check_consistent(out, at);
    return out;
  }

  void check_consistent(const Holiday& holiday, const std::string& where) const {
    if (holiday.type == HolidayType::Settlement && (!holiday.closed_exchanges.empty() || !holiday.open_exchanges.empty()))
      fail(where, "a SETTLEMENT_HOLIDAY keeps trading as usual, so it lists no closed or open exchanges");
    for (const auto& open : holiday.open_exchanges)
      if (std::ranges::find(holiday.closed_exchanges, open.exchange) != holiday.closed_exchanges.end())
        fail(where, fmt::format("{} is listed both as closed and as open", open.exchange));
  }

 private:
  std::string_view origin_;
};

}  // namespace

std::string_view holiday_type_name(HolidayType type) {
  for (const auto& known : kHolidayTypes)
    if (known.type == type) return known.name;
  return "TRADING_HOLIDAY";
}

std::int64_t ist_midnight_ms(Date date) {
  return duration_cast<milliseconds>(sys_days(date).time_since_epoch() - kIstOffset).count();
}

Date ist_today() { return Date(floor<days>(system_clock::now() + kIstOffset)); }

std::optional<Date> parse_date(std::string_view text) {
  auto first = text.find('-'), second = text.find('-', first == std::string_view::npos ? first : first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return std::nullopt;
  auto y = text.substr(0, first), m = text.substr(first + 1, second - first - 1), d = text.substr(second + 1);
  if (y.size() != 4 || !is_digits(y) || m.size() > 2 || !is_digits(m) || d.size() > 2 || !is_digits(d))
    return std::nullopt;
  Date date{year(to_int(y)), month(static_cast<unsigned>(to_int(m))), day(static_cast<unsigned>(to_int(d)))};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string date_text(Date date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::vector<Session> Holiday::open_sessions() const {
  auto midnight = ist_midnight_ms(date);
  std::vector<Session> out;
  for (const auto& window : open_exchanges)
    out.push_back({window.exchange, midnight + window.start.count(), midnight + window.end.count()});
  return out;
}

Calendar Calendar::parse(std::string_view json_text, std::string_view origin) {
  Reader reader(origin);
  auto document = reader.parse_json(json_text);
  const auto& root = reader.object(document, "the top level");
  reader.only_keys(root, {"about", "sessions", "holidays"}, "the top level");
  Calendar calendar;
  const auto& sessions = reader.array(reader.required(root, "sessions", "the top level"), "sessions");
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    auto where = fmt::format("sessions[{}]", i);
    auto window = reader.window(sessions[i], where, {"weekends"});
    if (std::ranges::find(calendar.regular_, window.exchange, &Window::exchange) != calendar.regular_.end())
      reader.fail(where, fmt::format("{} has regular hours twice", window.exchange));
    const auto* weekends = reader.optional(sessions[i].get_object(), "weekends");
    if (weekends && !weekends->is_bool()) reader.fail(where + ".weekends", "must be true or false");
    if (weekends && weekends->get_bool()) calendar.weekend_exchanges_.push_back(window.exchange);
    calendar.regular_.push_back(std::move(window));
  }
  const auto& holidays = reader.array(reader.required(root, "holidays", "the top level"), "holidays");
  for (std::size_t i = 0; i < holidays.size(); ++i) {
    auto holiday = reader.holiday(holidays[i], fmt::format("holidays[{}]", i));
    auto date = date_text(holiday.date);
    if (!calendar.holidays_.emplace(sys_days(holiday.date), std::move(holiday)).second)
      reader.fail(fmt::format("holidays[{}]", i), fmt::format("{} is listed twice", date));
  }
  return calendar;
}

Calendar Calendar::load(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw CalendarError(fmt::format("market calendar '{}': no such file (MARKET_CALENDAR_FILE; a relative path is "
                                    "read from the working directory)",
                                    file.string()));
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw CalendarError(fmt::format("market calendar '{}': the file cannot be read", file.string()));
  return parse(text.str(), file.string());
}

std::vector<const Holiday*> Calendar::holidays_in(int wanted) const {
  std::vector<const Holiday*> out;
  auto from = holidays_.lower_bound(sys_days(year(wanted) / January / 1));
  auto to = holidays_.lower_bound(sys_days(year(wanted + 1) / January / 1));
  for (auto it = from; it != to; ++it) out.push_back(&it->second);
  return out;
}

const Holiday* Calendar::holiday_on(Date date) const {
  auto found = holidays_.find(sys_days(date));
  return found == holidays_.end() ? nullptr : &found->second;
}

bool Calendar::trades_on_weekends(std::string_view exchange) const {
  return std::ranges::find(weekend_exchanges_, exchange) != weekend_exchanges_.end();
}

std::vector<Session> Calendar::sessions_on(Date date) const {
  const Holiday* holiday = holiday_on(date);
  if (holiday && holiday->type == HolidayType::Settlement) holiday = nullptr;
  const weekday day_of_week{sys_days(date)};
  const bool weekend = day_of_week == Saturday || day_of_week == Sunday;
  const auto midnight = ist_midnight_ms(date);
  auto special = holiday ? holiday->open_sessions() : std::vector<Session>{};
  auto has_special = [&special](std::string_view exchange) {
    return std::ranges::find(special, exchange, &Session::exchange) != special.end();
  };
  std::vector<Session> out;
  for (const auto& window : regular_) {
    if (has_special(window.exchange)) {
      std::ranges::copy_if(special, std::back_inserter(out), [&](const Session& s) { return s.exchange == window.exchange; });
      continue;
    }
    bool closed = holiday && std::ranges::find(holiday->closed_exchanges, window.exchange) != holiday->closed_exchanges.end();
    if (closed || (weekend && !trades_on_weekends(window.exchange))) continue;
    out.push_back({window.exchange, midnight + window.start.count(), midnight + window.end.count()});
  }
  for (const auto& session : special)
    if (std::ranges::find(regular_, session.exchange, &Window::exchange) == regular_.end()) out.push_back(session);
  return out;
}

bool Calendar::is_holiday(Date date, std::string_view exchange) const {
  auto sessions = sessions_on(date);
  return std::ranges::find(sessions, exchange, &Session::exchange) == sessions.end();
}

void MarketCalendar::load(const std::filesystem::path& file) {
  auto loaded = std::make_shared<const Calendar>(Calendar::load(file));
  std::lock_guard lock(mutex_);
  current_ = std::move(loaded);
}

std::shared_ptr<const Calendar> MarketCalendar::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace oa::calendar
