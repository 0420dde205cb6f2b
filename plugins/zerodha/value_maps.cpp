#include "value_maps.hpp"

namespace oa::zerodha {

// Kite's documented limits per request (days), by interval.
int history_chunk_days(std::string_view kite_interval) {
  if (kite_interval == "minute") return 60;
  if (kite_interval == "3minute" || kite_interval == "5minute" || kite_interval == "10minute") return 100;
  if (kite_interval == "15minute" || kite_interval == "30minute") return 200;
  if (kite_interval == "60minute") return 400;
  return 2000;  // day
}

std::string_view kite_mode(int openalgo_mode) {
  if (openalgo_mode == OA_MODE_LTP) return "ltp";
  if (openalgo_mode == OA_MODE_QUOTE) return "quote";
  return "full";
}

}  // namespace oa::zerodha
