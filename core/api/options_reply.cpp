#include "api/options_reply.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "api/json_reply.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

json::value sorted(const json::value& value) {
  if (value.is_array()) {
    json::array items;
    for (const auto& item : value.get_array()) items.push_back(sorted(item));
    return items;
  }
  if (!value.is_object()) return value;
  std::vector<const json::key_value_pair*> entries;
  for (const auto& entry : value.get_object()) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) { return a->key() < b->key(); });
  json::object out;
  for (const auto* entry : entries) out[entry->key()] = sorted(entry->value());
  return out;
}

}  // namespace

net::HttpResponse options_reply(KeyOrder order, int status, const json::value& body) {
  return json_reply(status, order == KeyOrder::Sorted ? sorted(body) : body);
}

net::HttpResponse options_error(KeyOrder order, int status, std::string_view message) {
  return options_reply(order, status, json::object{{"status", "error"}, {"message", message}});
}

}  // namespace oa::api
