// value_map.hpp — one table between OpenAlgo's vocabulary and a broker's for
// one kind of value (exchange, product, price type, action, order status...).
// Each plugin declares its tables as constant arrays; the lookups give a
// clear error for a value the broker cannot take, and a stated fallback for
// a broker value OpenAlgo has no word for.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "openalgo_plugin.hpp"

namespace oa::sdk {

struct ValuePair {
  std::string_view openalgo;
  std::string_view broker;
};

template <std::size_t N>
class ValueMap {
 public:
  // `what` names the kind of value in error messages ("exchange", "product").
  constexpr ValueMap(std::string_view what, std::array<ValuePair, N> pairs) : what_(what), pairs_(pairs) {}

  std::optional<std::string_view> find_broker(std::string_view openalgo) const {
    for (const auto& pair : pairs_)
      if (pair.openalgo == openalgo) return pair.broker;
    return std::nullopt;
  }
  std::optional<std::string_view> find_openalgo(std::string_view broker) const {
    for (const auto& pair : pairs_)
      if (pair.broker == broker) return pair.openalgo;
    return std::nullopt;
  }

  // The broker's value, or Error(OA_ERR_INVALID_ARGUMENT) naming the value.
  std::string_view to_broker(std::string_view openalgo) const {
    if (auto found = find_broker(openalgo)) return *found;
    throw Error(OA_ERR_INVALID_ARGUMENT,
                "this broker does not accept " + std::string(what_) + " '" + std::string(openalgo) + "'");
  }
  // OpenAlgo's value; `fallback` for a broker value the table lacks.
  std::string_view to_openalgo(std::string_view broker, std::string_view fallback) const {
    return find_openalgo(broker).value_or(fallback);
  }

  const std::array<ValuePair, N>& pairs() const { return pairs_; }

 private:
  std::string_view what_;
  std::array<ValuePair, N> pairs_;
};

template <std::size_t N>
ValueMap(std::string_view, std::array<ValuePair, N>) -> ValueMap<N>;

}  // namespace oa::sdk
