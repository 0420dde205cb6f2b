#include "ws/client_message.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "api/json_text.hpp"

namespace oa::ws {
namespace {

namespace json = boost::json;

std::string lower_trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const json::value* member(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && !value->is_null() ? value : nullptr;
}

std::optional<std::string> text_member(const json::object& object, std::string_view key) {
  const json::value* value = member(object, key);
  if (!value) return std::nullopt;
  if (value->is_string()) return std::string(value->get_string());
  return api::to_json_text(*value);  // a number given as symbol or key: as its text
}

std::string shown(const json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : api::to_json_text(value);
}

ProtocolError invalid_mode(const json::value& value) {
  return {"INVALID_MODE", "Invalid mode " + shown(value) + "; expected 1 (LTP), 2 (Quote), or 3 (Depth)"};
}

std::optional<Action> action_named(std::string_view name) {
  static const std::pair<std::string_view, Action> kActions[] = {
      {"authenticate", Action::Authenticate},         {"auth", Action::Authenticate},
      {"subscribe", Action::Subscribe},               {"unsubscribe", Action::Unsubscribe},
      {"unsubscribe_all", Action::UnsubscribeAll},    {"subscribe_orders", Action::SubscribeOrders},
      {"unsubscribe_orders", Action::UnsubscribeOrders}, {"get_broker_info", Action::BrokerInfo},
      {"get_supported_brokers", Action::SupportedBrokers}, {"ping", Action::Ping}};
  for (const auto& [label, action] : kActions)
    if (label == name) return action;
  return std::nullopt;
}

// One {symbol, exchange[, mode]} entry; entries without both are skipped, as OpenAlgo does.
std::optional<ProtocolError> add_symbol(std::vector<feed::SymbolRequest>& out, const json::object& entry,
                                        int default_mode, bool mode_per_entry) {
  auto symbol = text_member(entry, "symbol");
  auto exchange = text_member(entry, "exchange");
  if (!symbol || !exchange || symbol->empty() || exchange->empty()) return std::nullopt;
  int mode = default_mode;
  if (const json::value* given = mode_per_entry ? member(entry, "mode") : nullptr) {
    auto parsed = parse_mode(*given);
    if (!parsed) return invalid_mode(*given);
    mode = *parsed;
  }
  out.push_back({*exchange, *symbol, mode});
  return std::nullopt;
}

std::optional<ProtocolError> read_symbols(ClientMessage& message, const json::object& object, int default_mode,
                                          bool mode_per_entry, std::size_t max_symbols) {
  const json::value* list = member(object, "symbols");
  if (list && list->is_array()) {
    if (list->get_array().size() > max_symbols)
      return ProtocolError{"INVALID_PARAMETERS", "Too many symbols in one message: " +
                                                     std::to_string(list->get_array().size()) + " (limit " +
                                                     std::to_string(max_symbols) + ")"};
    for (const auto& entry : list->get_array()) {
      if (!entry.is_object()) continue;
      if (auto error = add_symbol(message.symbols, entry.get_object(), default_mode, mode_per_entry)) return error;
    }
    return std::nullopt;
  }
  return add_symbol(message.symbols, object, default_mode, mode_per_entry);
}

std::optional<ProtocolError> read_subscribe(ClientMessage& message, const json::object& object, std::size_t max_symbols) {
  int mode = 2;
  if (const json::value* given = member(object, "mode")) {
    auto parsed = parse_mode(*given);
    if (!parsed) return invalid_mode(*given);
    mode = *parsed;
  }
  if (const json::value* depth = member(object, "depth")) {
    if (!depth->is_int64() || depth->get_int64() < 1)
      return ProtocolError{"INVALID_PARAMETERS", "Invalid depth " + shown(*depth) + "; expected a positive integer"};
    message.depth = static_cast<int>(std::min<std::int64_t>(depth->get_int64(), 1000));
  }
  if (auto error = read_symbols(message, object, mode, false, max_symbols)) return error;
  if (message.symbols.empty()) return ProtocolError{"INVALID_PARAMETERS", "At least one symbol must be specified"};
  return std::nullopt;
}

// A top-level mode is the default of the entries (OpenAlgo ignores it for a
// list and assumes Quote: a client that unsubscribes LTP with a top-level
// mode would keep receiving, so it is honoured here).
std::optional<ProtocolError> read_unsubscribe(ClientMessage& message, const json::object& object,
                                              std::size_t max_symbols) {
  int mode = 2;
  if (const json::value* given = member(object, "mode")) {
    auto parsed = parse_mode(*given);
    if (!parsed) return invalid_mode(*given);
    mode = *parsed;
  }
  if (auto error = read_symbols(message, object, mode, true, max_symbols)) return error;
  if (message.symbols.empty())
    return ProtocolError{"INVALID_PARAMETERS", "Either symbols or unsubscribe_all is required"};
  return std::nullopt;
}

}  // namespace

bool needs_authentication(Action action) {
  return action != Action::Authenticate && action != Action::SupportedBrokers && action != Action::Ping;
}

std::optional<int> parse_mode(const json::value& value) {
  if (value.is_int64()) {
    auto number = value.get_int64();
    if (number >= 1 && number <= 3) return static_cast<int>(number);
    return std::nullopt;
  }
  if (value.is_uint64()) return std::nullopt;
  if (!value.is_string()) return std::nullopt;  // booleans, floats, lists
  auto label = lower_trimmed(value.get_string());
  if (label == "ltp") return feed::kModeLtp;
  if (label == "quote") return feed::kModeQuote;
  if (label == "depth") return feed::kModeDepth;
  return std::nullopt;
}

std::string_view mode_label(int mode) {
  switch (mode) {
    case feed::kModeLtp: return "LTP";
    case feed::kModeQuote: return "Quote";
    default: return "Depth";
  }
}

std::variant<ClientMessage, ProtocolError> read_client_message(std::string_view text, std::size_t max_symbols) {
  boost::system::error_code ec;
  json::value document = json::parse(text, ec);
  if (ec) return ProtocolError{"INVALID_JSON", "Invalid JSON message"};
  if (!document.is_object()) return ProtocolError{"INVALID_JSON", "Invalid JSON message: expected an object"};
  const auto& object = document.get_object();
  auto verb = text_member(object, "action");
  if (!verb) verb = text_member(object, "type");
  if (!verb) return ProtocolError{"INVALID_ACTION", "Invalid action: None"};
  auto action = action_named(*verb);
  if (!action) return ProtocolError{"INVALID_ACTION", "Invalid action: " + *verb};
  // {"action":"unsubscribe","type":"unsubscribe_all"} is OpenAlgo's other spelling.
  if (*action == Action::Unsubscribe && text_member(object, "type") == std::optional<std::string>("unsubscribe_all"))
    action = Action::UnsubscribeAll;
  ClientMessage message;
  message.action = *action;
  if (const json::value* id = object.if_contains("request_id")) message.request_id = *id;
  std::optional<ProtocolError> error;
  switch (*action) {
    case Action::Authenticate:
      message.api_key = text_member(object, "api_key");
      if (!message.api_key) message.api_key = text_member(object, "apikey");
      break;
    case Action::Subscribe: error = read_subscribe(message, object, max_symbols); break;
    case Action::Unsubscribe: error = read_unsubscribe(message, object, max_symbols); break;
    case Action::Ping:
      if (const json::value* at = object.if_contains("timestamp")) message.client_timestamp = *at;
      if (const json::value* id = object.if_contains("_pingId")) message.ping_id = *id;
      break;
    default: break;
  }
  if (error) return *error;
  return message;
}

}  // namespace oa::ws
