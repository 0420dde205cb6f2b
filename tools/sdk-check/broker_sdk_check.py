#!/usr/bin/env python3
"""The official OpenAlgo Python SDK, unchanged, through a real broker plugin against that broker's fake.

Usage: broker_sdk_check.py OPENALGOD_BINARY FAKE_BROKER zerodha|angel. Starts the fake (tests/fakes,
built as `fake-broker`), logs the administrator in with `openalgod broker login` exactly as
docs/broker-login.md says, starts the daemon with the plugin's *_URL settings pointing at the fake,
switches to live mode through the SDK, then drives the SDK's order, account and market-data methods
and its WebSocket feed through the plugin. SDK lookup and exit codes as python_sdk_check.py."""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402
from daemon import Daemon, FakeBroker  # noqa: E402
from python_sdk_check import import_sdk  # noqa: E402

STRATEGY = "sdk-check"
LOGIN = {
    "zerodha": (["--field", "request_token=req-token-1"], None),
    "angel": (["--fields-stdin"], "userid=A123456\npin=1234\ntotp=123456\n"),
}


def patient(call):
    """The plugin enforces the broker's published request limits by answering 429 at once, never by
    waiting; a client asks again, as this does."""
    deadline = time.monotonic() + 15
    while True:
        answer = call()
        if not (isinstance(answer, dict) and answer.get("code") == 429) or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


def check_account_and_data(c, ck, broker):
    toggled = c.analyzertoggle(mode=False)
    ck.equal("analyzertoggle: live mode", toggled.get("data", {}).get("mode"), "live")
    funds = patient(c.funds)
    ck.success("funds", funds)
    ck.fields("funds: OpenAlgo's fields", funds.get("data", {}),
              ["availablecash", "collateral", "m2munrealized", "m2mrealized", "utiliseddebits"])
    quote = patient(lambda: c.quotes(symbol="SBIN", exchange="NSE"))
    ck.success("quotes", quote)
    ck.true("quotes: a price from the broker", quote.get("data", {}).get("ltp", 0) > 0, str(quote))
    multi = patient(lambda: c.multiquotes(symbols=[{"symbol": "SBIN", "exchange": "NSE"},
                                                   {"symbol": "INFY", "exchange": "NSE"}]))
    ck.equal("multiquotes: one priced result per symbol",
             [(r.get("symbol"), r.get("data", {}).get("ltp", 0) > 0) for r in multi.get("results", [])],
             [("SBIN", True), ("INFY", True)])
    depth = patient(lambda: c.depth(symbol="SBIN", exchange="NSE"))
    ck.equal("depth: five levels a side",
             (len(depth.get("data", {}).get("bids", [])), len(depth.get("data", {}).get("asks", []))), (5, 5))
    symbol = c.symbol(symbol="SBIN", exchange="NSE")
    ck.equal(f"symbol: {broker}'s instrument file is loaded", symbol.get("data", {}).get("symbol"), "SBIN")
    ck.success("search", c.search(query="NIFTY", exchange="NFO"))
    ck.success("intervals", c.intervals())
    history = patient(lambda: c.history(symbol="SBIN", exchange="NSE", interval="D",
                                        start_date="2024-11-01", end_date="2024-11-25"))
    ck.true("history: the SDK builds its DataFrame", hasattr(history, "columns") and len(history) > 0,
            repr(history)[:300])
    for name, call in (("orderbook", c.orderbook), ("tradebook", c.tradebook), ("positionbook", c.positionbook),
                       ("holdings", c.holdings)):
        ck.success(name, patient(call))
    ck.success("margin", patient(lambda: c.margin(positions=[
        {"symbol": "SBIN", "exchange": "NSE", "action": "BUY", "product": "MIS", "pricetype": "MARKET",
         "quantity": "10"}])))


def check_orders(c, ck):
    placed = patient(lambda: c.placeorder(strategy=STRATEGY, symbol="SBIN", action="BUY", exchange="NSE",
                                          price_type="LIMIT", product="MIS", quantity=10, price=790))
    ck.success("placeorder", placed)
    orderid = placed.get("orderid")
    book = patient(c.orderbook).get("data", {}).get("orders", [])
    ck.true("orderbook: lists the order", any(o.get("orderid") == orderid for o in book), str(book)[:300])
    status = patient(lambda: c.orderstatus(order_id=orderid, strategy=STRATEGY))
    ck.equal("orderstatus: the order", status.get("data", {}).get("orderid"), orderid)
    ck.success("modifyorder", patient(lambda: c.modifyorder(
        order_id=orderid, strategy=STRATEGY, symbol="SBIN", action="BUY", exchange="NSE", price_type="LIMIT",
        product="MIS", quantity=20, price=789.5)))
    ck.success("cancelorder", patient(lambda: c.cancelorder(order_id=orderid, strategy=STRATEGY)))
    ck.success("openposition", patient(lambda: c.openposition(strategy=STRATEGY, symbol="SBIN", exchange="NSE",
                                                              product="MIS")))
    ck.success("placesmartorder", patient(lambda: c.placesmartorder(
        strategy=STRATEGY, symbol="SBIN", action="BUY", exchange="NSE", price_type="MARKET", product="MIS",
        quantity=5, position_size=15)))
    basket = patient(lambda: c.basketorder(strategy=STRATEGY, orders=[
        {"symbol": "SBIN", "exchange": "NSE", "action": "BUY", "quantity": 1, "pricetype": "MARKET", "product": "MIS"},
        {"symbol": "INFY", "exchange": "NSE", "action": "SELL", "quantity": 1, "pricetype": "MARKET",
         "product": "MIS"}]))
    ck.equal("basketorder: both legs placed", [r.get("status") for r in basket.get("results", [])],
             ["success", "success"])
    split = patient(lambda: c.splitorder(strategy=STRATEGY, symbol="SBIN", action="BUY", exchange="NSE", quantity=10,
                                         splitsize=4, price_type="MARKET", product="MIS"))
    ck.equal("splitorder: 4 + 4 + 2", [r.get("quantity") for r in split.get("results", [])], [4, 4, 2])
    ck.success("cancelallorder", patient(lambda: c.cancelallorder(strategy=STRATEGY)))
    ck.success("closeposition", patient(lambda: c.closeposition(strategy=STRATEGY)))


def check_feed(c, ck):
    seen = {}
    arrived = threading.Event()
    wanted = {("SBIN", 1), ("SBIN", 2), ("SBIN", 3), ("NIFTY", 1)}

    def on_data(update):
        seen[(update["symbol"], update["mode"])] = update
        if wanted <= seen.keys():
            arrived.set()

    ck.equal("feed: connect authenticates", c.connect(), True)
    stock, index = {"exchange": "NSE", "symbol": "SBIN"}, {"exchange": "NSE_INDEX", "symbol": "NIFTY"}
    ck.equal("feed: subscribe_ltp", c.subscribe_ltp([stock, index], on_data_received=on_data), True)
    ck.equal("feed: subscribe_quote", c.subscribe_quote([stock], on_data_received=on_data), True)
    ck.equal("feed: subscribe_depth", c.subscribe_depth([stock], on_data_received=on_data), True)
    ck.true("feed: LTP, Quote and Depth for a stock and LTP for an index arrive", arrived.wait(20),
            f"got only {sorted(seen)}")
    depth = seen.get(("SBIN", 3), {}).get("data", {}).get("depth", {})
    ck.equal("feed: Depth has five levels a side", (len(depth.get("buy", [])), len(depth.get("sell", []))), (5, 5))
    ck.true("feed: index LTP", seen.get(("NIFTY", 1), {}).get("data", {}).get("ltp", 0) > 0, str(seen.get(("NIFTY", 1))))
    for name, call in (("ltp", c.unsubscribe_ltp), ("quote", c.unsubscribe_quote), ("depth", c.unsubscribe_depth)):
        ck.equal(f"feed: unsubscribe_{name}", call([stock]), True)
    c.disconnect()


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in LOGIN:
        print(__doc__)
        return 2
    binary, fake_program, broker = sys.argv[1:]
    sdk = import_sdk()
    ck = Checks()
    fake = FakeBroker(fake_program, broker)
    try:
        with Daemon(binary, [*fake.settings, f"VALID_BROKERS={broker}"]) as daemon:
            key = daemon.issue_api_key()
            fields, stdin = LOGIN[broker]
            daemon.cli("broker", "login", broker, *fields, stdin=stdin)
            daemon.start()
            client = sdk.api(api_key=key, host=daemon.host, ws_port=daemon.ws_port)
            check_account_and_data(client, ck, broker)
            check_orders(client, ck)
            check_feed(client, ck)
            client.close()
    finally:
        fake.stop()
    return ck.finish(f"OpenAlgo Python SDK through {broker}")


if __name__ == "__main__":
    sys.exit(main())
