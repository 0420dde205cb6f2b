#include "ws/market_data_text.hpp"

#include <string_view>

#include "api/json_text.hpp"

namespace oa::ws {
namespace {

using api::JsonLayout;

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  Writer& key(std::string_view name) {
    if (!first_) out_ += ", ";
    first_ = false;
    api::append_json_string(out_, name, JsonLayout::PythonDumps);
    out_ += ": ";
    return *this;
  }
  Writer& text(std::string_view name, std::string_view value) {
    key(name);
    api::append_json_string(out_, value, JsonLayout::PythonDumps);
    return *this;
  }
  Writer& number(std::string_view name, double value) {
    key(name);
    api::append_json_double(out_, value);
    return *this;
  }
  Writer& integer(std::string_view name, std::int64_t value) {
    key(name);
    out_ += std::to_string(value);
    return *this;
  }
  void open(std::string_view name) {
    key(name);
    out_ += '{';
    first_ = true;
  }
  void close() {
    out_ += '}';
    first_ = false;
  }

 private:
  std::string& out_;
  bool first_ = true;
};

void write_levels(std::string& out, const oa_depth_level* levels) {
  out += '[';
  for (int i = 0; i < OA_DEPTH_LEVELS; ++i) {
    if (i > 0) out += ", ";
    out += '{';
    Writer level(out);
    level.number("price", levels[i].price).integer("quantity", levels[i].quantity).integer("orders", levels[i].orders);
    out += '}';
  }
  out += ']';
}

void write_data(Writer& data, std::string& out, const feed::LineKey& line, const oa_tick& tick, int mode,
                std::int64_t received_ms) {
  data.text("symbol", line.symbol).text("exchange", line.exchange).integer("mode", mode);
  data.number("ltp", tick.ltp).integer("ltt", tick.exchange_time_ms).integer("timestamp", received_ms);
  if (mode == feed::kModeLtp) return;
  data.integer("volume", tick.volume)
      .integer("last_quantity", tick.ltq)
      .number("average_price", tick.average_price)
      .integer("total_buy_quantity", tick.total_buy_quantity)
      .integer("total_sell_quantity", tick.total_sell_quantity)
      .number("open", tick.open)
      .number("high", tick.high)
      .number("low", tick.low)
      .number("close", tick.close);
  if (mode == feed::kModeQuote) return;
  data.integer("oi", tick.oi).number("upper_circuit", tick.upper_circuit).number("lower_circuit", tick.lower_circuit);
  data.key("depth");
  out += "{\"buy\": ";
  write_levels(out, tick.bids);
  out += ", \"sell\": ";
  write_levels(out, tick.asks);
  out += '}';
}

}  // namespace

std::string market_data_text(const feed::LineKey& line, const oa_tick& tick, int mode, std::int64_t received_ms) {
  std::string out;
  out.reserve(mode == feed::kModeDepth ? 1100 : 400);
  out += '{';
  Writer message(out);
  message.text("type", "market_data").text("symbol", line.symbol).text("exchange", line.exchange).integer("mode", mode);
  message.open("data");
  write_data(message, out, line, tick, mode, received_ms);
  message.close();
  message.text("broker", line.broker);
  out += '}';
  return out;
}

}  // namespace oa::ws
