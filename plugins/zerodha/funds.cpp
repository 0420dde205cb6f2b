#include "funds.hpp"

#include <cstdio>

#include "symbols.hpp"

namespace oa::zerodha {
namespace {

double at_path(const json::value& root, std::initializer_list<std::string_view> path) {
  const json::value* node = &root;
  for (auto key : path) {
    const auto* object = node->if_object();
    node = object ? object->if_contains(key) : nullptr;
    if (!node) return 0;
  }
  return number_of(node);
}

std::string money(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

}  // namespace

json::value funds(KiteClient& kite, const sdk::Call& call) {
  auto margins = kite.request(call, kite.limits().other, "GET", "/user/margins");
  double net = 0, debits = 0, collateral = 0;
  for (auto segment : {"equity", "commodity"}) {
    net += at_path(margins, {segment, "net"});
    debits += at_path(margins, {segment, "utilised", "debits"});
    collateral += at_path(margins, {segment, "available", "collateral"});
  }
  // Kite's own available.cash is sometimes 0; net + debits - collateral is the cash.
  double realised = 0, unrealised = 0;
  auto positions = kite.request(call, kite.limits().other, "GET", "/portfolio/positions");
  const auto* rows = positions.is_object() ? positions.as_object().if_contains("net") : nullptr;
  if (rows && rows->is_array())
    for (const auto& row : rows->as_array()) {
      double quantity = at_path(row, {"quantity"});
      if (quantity == 0) realised += at_path(row, {"sell_value"}) - at_path(row, {"buy_value"});
      else unrealised += (at_path(row, {"last_price"}) - at_path(row, {"average_price"})) * quantity;
    }
  return json::object{{"availablecash", money(net + debits - collateral)},
                      {"collateral", money(collateral)},
                      {"m2munrealized", money(unrealised)},
                      {"m2mrealized", money(realised)},
                      {"utiliseddebits", money(debits)}};
}

}  // namespace oa::zerodha
