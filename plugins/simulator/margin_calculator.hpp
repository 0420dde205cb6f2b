// margin_calculator.hpp — the simulator's margin calculator (/margin): what
// a basket of positions would block, by the sandbox's leverage rules
// (sandbox.md §3): equity MIS 5x, CNC and NRML 1x; futures 10x; options
// their premium (1x), bought or sold. Each position is priced at its limit
// (LIMIT, SL), its trigger (SL-M), else the current LTP.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace oa::simulator {

struct MarginPosition {
  std::string instrument_type;  // the master's: EQ, FUT, CE, PE, INDEX, ...
  std::string product, pricetype;
  double quantity = 0, price = 0, trigger_price = 0, ltp = 0;
};

double margin_of(const MarginPosition& position);

// {"total_margin_required", "span_margin" (futures and options), "exposure_margin" (the rest)}, in rupees to 2 dp.
boost::json::object margin_document(const std::vector<MarginPosition>& positions);

}  // namespace oa::simulator
