#include "margin_calculator.hpp"

#include <cmath>

namespace oa::simulator {
namespace {

bool is_derivative(const std::string& type) { return type == "FUT" || type == "CE" || type == "PE"; }

double leverage(const MarginPosition& position) {
  if (position.instrument_type == "FUT") return 10;
  if (is_derivative(position.instrument_type)) return 1;
  return position.product == "MIS" ? 5 : 1;
}

double price_basis(const MarginPosition& position) {
  if ((position.pricetype == "LIMIT" || position.pricetype == "SL") && position.price > 0) return position.price;
  if (position.pricetype == "SL-M" && position.trigger_price > 0) return position.trigger_price;
  return position.ltp;
}

double round2(double value) { return std::round(value * 100) / 100; }

}  // namespace

double margin_of(const MarginPosition& position) {
  return position.quantity * price_basis(position) / leverage(position);
}

boost::json::object margin_document(const std::vector<MarginPosition>& positions) {
  double span = 0, exposure = 0;
  for (const auto& position : positions) (is_derivative(position.instrument_type) ? span : exposure) += margin_of(position);
  return {{"total_margin_required", round2(span + exposure)},
          {"span_margin", round2(span)},
          {"exposure_margin", round2(exposure)}};
}

}  // namespace oa::simulator
