// angel_plugin.cpp — Angel One through SmartAPI: login, orders, GTT rules,
// books, funds, quotes, depth, history, the instrument master, SmartStream v2
// and the order-status WebSocket. Each job lives in its own file; this one
// declares what the plugin offers and routes the SDK's operations to them.
#include "auth.hpp"
#include "books.hpp"
#include "funds.hpp"
#include "gtt.hpp"
#include "margin.hpp"
#include "market_data.hpp"
#include "master_contract.hpp"
#include "openalgo_plugin.hpp"
#include "order_updates.hpp"
#include "orders.hpp"
#include "smartapi_client.hpp"
#include "streaming.hpp"

namespace oa::angel {
namespace {

// Every upstream address is a setting with Angel's real default (see
// kDefaultApiUrl, kDefaultWsUrl, kDefaultInstrumentsUrl, kDefaultOrderWsUrl).
const char* const kConfigKeys[] = {"ANGEL_API_URL", "ANGEL_WS_URL", "ANGEL_INSTRUMENTS_URL", "ANGEL_ORDER_WS_URL", nullptr};
const char* const kHistoryIntervals[] = {"1m", "3m", "5m", "10m", "15m", "30m", "1h", "D", nullptr};

const oa_manifest kManifest{sizeof(oa_manifest),
                            "angel",
                            "Angel One",
                            "1.0.0",
                            OA_AUTH_CREDENTIALS,
                            kConfigKeys,
                            OA_CAP_ORDERS | OA_CAP_BOOKS | OA_CAP_FUNDS | OA_CAP_MARGIN | OA_CAP_QUOTES | OA_CAP_MULTIQUOTES |
                                OA_CAP_DEPTH | OA_CAP_HISTORY | OA_CAP_MASTER_CONTRACT | OA_CAP_MARKET_STREAM |
                                OA_CAP_ORDER_STREAM | OA_CAP_GTT,
                            kHistoryIntervals};

class Angel : public sdk::Broker {
 public:
  explicit Angel(sdk::Host& host) : Broker(host), smartapi_(host), feed_(smartapi_), order_updates_(smartapi_) {}

  json::value authenticate(const sdk::Call& call, const json::object& request) override {
    return angel::authenticate(smartapi_, call, request);
  }
  json::value place_order(const sdk::Call& call, const json::object& request) override {
    return angel::place_order(smartapi_, call, request);
  }
  json::value modify_order(const sdk::Call& call, const json::object& request) override {
    return angel::modify_order(smartapi_, call, request);
  }
  json::value cancel_order(const sdk::Call& call, const json::object& request) override {
    return angel::cancel_order(smartapi_, call, request);
  }
  json::value order_book(const sdk::Call& call, const json::object&) override { return angel::order_book(smartapi_, call); }
  json::value trade_book(const sdk::Call& call, const json::object&) override { return angel::trade_book(smartapi_, call); }
  json::value positions(const sdk::Call& call, const json::object&) override { return angel::positions(smartapi_, call); }
  json::value holdings(const sdk::Call& call, const json::object&) override { return angel::holdings(smartapi_, call); }
  json::value funds(const sdk::Call& call, const json::object&) override { return angel::funds(smartapi_, call); }
  json::value margin(const sdk::Call& call, const json::object& request) override {
    return angel::margin(smartapi_, call, request);
  }
  json::value quotes(const sdk::Call& call, const json::object& request) override {
    return angel::quotes(smartapi_, call, request);
  }
  json::value multiquotes(const sdk::Call& call, const json::object& request) override {
    return angel::multiquotes(smartapi_, call, request);
  }
  json::value depth(const sdk::Call& call, const json::object& request) override {
    return angel::depth(smartapi_, call, request);
  }
  json::value history(const sdk::Call& call, const json::object& request) override {
    return angel::history(smartapi_, call, request);
  }
  std::size_t master_contract(const sdk::Call& call, sdk::InstrumentSink& sink) override {
    return angel::master_contract(smartapi_, call, sink);
  }
  void subscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items) override {
    feed_.subscribe(call, items);
  }
  void unsubscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items) override {
    feed_.unsubscribe(call, items);
  }
  json::value gtt_place(const sdk::Call& call, const json::object& request) override {
    return angel::gtt_place(smartapi_, call, request);
  }
  json::value gtt_modify(const sdk::Call& call, const json::object& request) override {
    return angel::gtt_modify(smartapi_, call, request);
  }
  json::value gtt_cancel(const sdk::Call& call, const json::object& request) override {
    return angel::gtt_cancel(smartapi_, call, request);
  }
  json::value gtt_book(const sdk::Call& call, const json::object&) override { return angel::gtt_book(smartapi_, call); }
  json::value order_stream_open(const sdk::Call& call, const json::object&) override {
    order_updates_.open(call);
    return json::object{};
  }
  json::value order_stream_close(const sdk::Call&, const json::object&) override {
    order_updates_.close();
    return json::object{};
  }

 private:
  SmartApiClient smartapi_;
  Feed feed_;
  OrderUpdates order_updates_;
};

}  // namespace
}  // namespace oa::angel

OA_EXPORT_PLUGIN(oa::angel::Angel, oa::angel::kManifest)
