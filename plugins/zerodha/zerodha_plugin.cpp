// zerodha_plugin.cpp — Zerodha through Kite Connect v3: login, orders, GTT
// triggers, books, funds, quotes, depth, history, the instrument master, the
// binary ticker and its order postbacks. Each job lives in its own file; this
// one declares what the plugin offers and routes the SDK's operations to them.
#include "auth.hpp"
#include "books.hpp"
#include "funds.hpp"
#include "gtt.hpp"
#include "kite_client.hpp"
#include "margin.hpp"
#include "market_data.hpp"
#include "master_contract.hpp"
#include "openalgo_plugin.hpp"
#include "order_updates.hpp"
#include "orders.hpp"
#include "streaming.hpp"

namespace oa::zerodha {
namespace {

// Every upstream address is a setting with Kite's real default.
const char* const kConfigKeys[] = {"ZERODHA_API_URL", "ZERODHA_LOGIN_URL", "ZERODHA_WS_URL", "ZERODHA_INSTRUMENTS_URL",
                                   nullptr};
const char* const kHistoryIntervals[] = {"1m", "3m", "5m", "10m", "15m", "30m", "1h", "D", nullptr};

const oa_manifest kManifest{sizeof(oa_manifest),
                            "zerodha",
                            "Zerodha",
                            "1.0.0",
                            OA_AUTH_OAUTH,
                            kConfigKeys,
                            OA_CAP_ORDERS | OA_CAP_BOOKS | OA_CAP_FUNDS | OA_CAP_MARGIN | OA_CAP_QUOTES | OA_CAP_MULTIQUOTES |
                                OA_CAP_DEPTH | OA_CAP_HISTORY | OA_CAP_MASTER_CONTRACT | OA_CAP_MARKET_STREAM |
                                OA_CAP_ORDER_STREAM | OA_CAP_GTT,
                            kHistoryIntervals};

class Zerodha : public sdk::Broker {
 public:
  explicit Zerodha(sdk::Host& host) : Broker(host), kite_(host), ticker_(kite_), order_updates_(kite_) {}

  json::value authenticate(const sdk::Call& call, const json::object& request) override {
    return zerodha::authenticate(kite_, call, request);
  }
  json::value place_order(const sdk::Call& call, const json::object& request) override {
    return zerodha::place_order(kite_, call, request);
  }
  json::value modify_order(const sdk::Call& call, const json::object& request) override {
    return zerodha::modify_order(kite_, call, request);
  }
  json::value cancel_order(const sdk::Call& call, const json::object& request) override {
    return zerodha::cancel_order(kite_, call, request);
  }
  json::value order_book(const sdk::Call& call, const json::object&) override { return zerodha::order_book(kite_, call); }
  json::value trade_book(const sdk::Call& call, const json::object&) override { return zerodha::trade_book(kite_, call); }
  json::value positions(const sdk::Call& call, const json::object&) override { return zerodha::positions(kite_, call); }
  json::value holdings(const sdk::Call& call, const json::object&) override { return zerodha::holdings(kite_, call); }
  json::value funds(const sdk::Call& call, const json::object&) override { return zerodha::funds(kite_, call); }
  json::value margin(const sdk::Call& call, const json::object& request) override {
    return zerodha::margin(kite_, call, request);
  }
  json::value quotes(const sdk::Call& call, const json::object& request) override {
    return zerodha::quotes(kite_, call, request);
  }
  json::value multiquotes(const sdk::Call& call, const json::object& request) override {
    return zerodha::multiquotes(kite_, call, request);
  }
  json::value depth(const sdk::Call& call, const json::object& request) override {
    return zerodha::depth(kite_, call, request);
  }
  json::value history(const sdk::Call& call, const json::object& request) override {
    return zerodha::history(kite_, call, request);
  }
  std::size_t master_contract(const sdk::Call& call, sdk::InstrumentSink& sink) override {
    return zerodha::master_contract(kite_, call, sink);
  }
  void subscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items) override {
    ticker_.subscribe(call, items);
  }
  void unsubscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items) override {
    ticker_.unsubscribe(call, items);
  }
  json::value gtt_place(const sdk::Call& call, const json::object& request) override {
    return zerodha::gtt_place(kite_, call, request);
  }
  json::value gtt_modify(const sdk::Call& call, const json::object& request) override {
    return zerodha::gtt_modify(kite_, call, request);
  }
  json::value gtt_cancel(const sdk::Call& call, const json::object& request) override {
    return zerodha::gtt_cancel(kite_, call, request);
  }
  json::value gtt_book(const sdk::Call& call, const json::object&) override { return zerodha::gtt_book(kite_, call); }
  json::value order_stream_open(const sdk::Call& call, const json::object&) override {
    order_updates_.open(call);
    return json::object{};
  }
  json::value order_stream_close(const sdk::Call&, const json::object&) override {
    order_updates_.close();
    return json::object{};
  }

 private:
  KiteClient kite_;
  Ticker ticker_;
  OrderUpdates order_updates_;
};

}  // namespace
}  // namespace oa::zerodha

OA_EXPORT_PLUGIN(oa::zerodha::Zerodha, oa::zerodha::kManifest)
