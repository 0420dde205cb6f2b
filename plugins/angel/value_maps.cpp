#include "value_maps.hpp"

namespace oa::angel {

// SmartAPI's documented getCandleData limits, in days per request.
int history_chunk_days(std::string_view interval) {
  if (interval == "ONE_MINUTE") return 30;
  if (interval == "THREE_MINUTE") return 60;
  if (interval == "FIVE_MINUTE" || interval == "TEN_MINUTE") return 100;
  if (interval == "FIFTEEN_MINUTE" || interval == "THIRTY_MINUTE") return 200;
  if (interval == "ONE_HOUR") return 400;
  return 2000;  // ONE_DAY
}

int interval_seconds(std::string_view interval) {
  if (interval == "ONE_MINUTE") return 60;
  if (interval == "THREE_MINUTE") return 180;
  if (interval == "FIVE_MINUTE") return 300;
  if (interval == "TEN_MINUTE") return 600;
  if (interval == "FIFTEEN_MINUTE") return 900;
  if (interval == "THIRTY_MINUTE") return 1800;
  if (interval == "ONE_HOUR") return 3600;
  return 86400;
}

std::optional<int> stream_exchange_type(std::string_view exchange) {
  if (exchange == "NSE" || exchange == "NSE_INDEX") return 1;  // nse_cm
  if (exchange == "NFO") return 2;                             // nse_fo
  if (exchange == "BSE" || exchange == "BSE_INDEX") return 3;  // bse_cm
  if (exchange == "BFO") return 4;                             // bse_fo
  if (exchange == "MCX" || exchange == "MCX_INDEX") return 5;  // mcx_fo
  if (exchange == "CDS") return 13;                            // cde_fo
  return std::nullopt;
}

int stream_mode(int openalgo_mode) {
  if (openalgo_mode == OA_MODE_LTP) return 1;
  if (openalgo_mode == OA_MODE_QUOTE) return 2;
  return 3;
}

double stream_price_divisor(int exchange_type) { return exchange_type == 13 ? 1e7 : 100.0; }

}  // namespace oa::angel
