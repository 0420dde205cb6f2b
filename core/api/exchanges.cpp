#include "api/exchanges.hpp"

namespace oa::api {

const std::vector<std::string>& valid_exchanges() {
  static const std::vector<std::string> exchanges{"NSE",       "NFO",       "CDS",       "BSE",          "BFO",
                                                  "BCD",       "MCX",       "NCDEX",     "NCO",          "NSE_INDEX",
                                                  "BSE_INDEX", "MCX_INDEX", "GLOBAL_INDEX", "CRYPTO"};
  return exchanges;
}

}  // namespace oa::api
