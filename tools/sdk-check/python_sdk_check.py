#!/usr/bin/env python3
"""The official OpenAlgo Python SDK (`pip install openalgo`), unchanged, against a fresh default openalgod.

Every REST method the SDK has and its WebSocket feed client are called the way its README shows; the
answers are checked against the OpenAlgo reference and against each other (the books must agree to the
paisa). Usage: python_sdk_check.py OPENALGOD_BINARY. The SDK is imported from the Python path, or from
$OPENALGO_PYTHON_SDK (a directory holding the `openalgo` package). Exit 0: all checks passed; 1: a check
failed; 77: the SDK is not installed (CTest reports the test as skipped, not passed)."""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from checks import Checks  # noqa: E402

SKIP = 77
STRATEGY = "sdk-check"


def import_sdk():
    if os.environ.get("OPENALGO_PYTHON_SDK"):
        sys.path.insert(0, os.environ["OPENALGO_PYTHON_SDK"])
    try:
        import openalgo
        return openalgo
    except ImportError as error:
        print(f"SKIP: the OpenAlgo Python SDK cannot be imported ({error}); install it "
              "(`pip install openalgo`) or set OPENALGO_PYTHON_SDK to a checkout of "
              "marketcalls/openalgo-python-library")
        sys.exit(SKIP)


def paise(value):
    return round(float(value) * 100)


def check_account_and_data(c, ck):
    status = c.analyzerstatus()
    ck.equal("analyzerstatus: the default daemon is in analyze mode", status.get("data", {}).get("analyze_mode"), True)
    funds = c.funds()
    ck.success("funds", funds)
    ck.equal("funds: starting capital", paise(funds["data"]["availablecash"]), paise(10_000_000))
    ck.equal("funds: answered by the sandbox", funds.get("mode"), "analyze")

    quote = c.quotes(symbol="RELIANCE", exchange="NSE")
    ck.success("quotes", quote)
    ck.fields("quotes: fields", quote.get("data", {}),
              ["ask", "bid", "high", "low", "ltp", "open", "prev_close", "volume", "oi"])
    multi = c.multiquotes(symbols=[{"symbol": "RELIANCE", "exchange": "NSE"},
                                   {"symbol": "SBIN", "exchange": "NSE"}])
    ck.success("multiquotes", multi)
    ck.equal("multiquotes: one result per symbol", len(multi.get("results", [])), 2)
    depth = c.depth(symbol="SBIN", exchange="NSE")
    ck.success("depth", depth)
    ck.equal("depth: five bid levels", len(depth.get("data", {}).get("bids", [])), 5)
    ck.equal("depth: five ask levels", len(depth.get("data", {}).get("asks", [])), 5)
    symbol = c.symbol(symbol="RELIANCE", exchange="NSE")
    ck.success("symbol", symbol)
    ck.equal("symbol: the instrument asked for", symbol.get("data", {}).get("symbol"), "RELIANCE")
    ck.success("search", c.search(query="NIFTY", exchange="NFO"))
    ck.success("intervals", c.intervals())
    history = c.history(symbol="SBIN", exchange="NSE", interval="D",
                        start_date="2026-01-01", end_date="2026-01-31")
    ck.true("history: the SDK builds its DataFrame", hasattr(history, "columns") and len(history) > 0,
            repr(history)[:300])
    if hasattr(history, "columns"):
        ck.fields("history: OHLCV columns", {k: 1 for k in history.columns},
                  ["open", "high", "low", "close", "volume"])
    expiry = c.expiry(symbol="NIFTY", exchange="NFO", instrumenttype="options")
    ck.success("expiry", expiry)
    instruments = c.instruments(exchange="NSE")
    ck.true("instruments: the SDK builds its DataFrame", hasattr(instruments, "columns") and len(instruments) > 0,
            repr(instruments)[:300])
    ck.success("holidays", c.holidays(year=2026))
    ck.success("timings", c.timings(date="2026-01-02"))
    ck.success("margin", c.margin(positions=[{"symbol": "SBIN", "exchange": "NSE", "action": "BUY",
                                              "product": "CNC", "pricetype": "MARKET", "quantity": "10"}]))
    return expiry.get("data", [None])[0]


def check_options_data(c, ck, expiry):
    compact = expiry.replace("-", "") if expiry else None
    ck.success("optionsymbol", c.optionsymbol(underlying="NIFTY", exchange="NSE_INDEX", expiry_date=compact,
                                              offset="ATM", option_type="CE"))
    chain = c.optionchain(underlying="NIFTY", exchange="NSE_INDEX", expiry_date=compact, strike_count=2)
    ck.success("optionchain", chain)
    ck.success("syntheticfuture", c.syntheticfuture(underlying="NIFTY", exchange="NSE_INDEX", expiry_date=compact))
    atm = c.optionsymbol(underlying="NIFTY", exchange="NSE_INDEX", expiry_date=compact, offset="ATM", option_type="CE")
    option = atm.get("symbol")
    if option:
        greeks = c.optiongreeks(symbol=option, exchange="NFO", underlying_symbol="NIFTY",
                                underlying_exchange="NSE_INDEX", interest_rate=0.0)
        ck.success("optiongreeks", greeks)
        ck.fields("optiongreeks: greeks", greeks.get("greeks", {}), ["delta", "gamma", "theta", "vega", "rho"])
    return compact


def order_status(c, orderid):
    return c.orderstatus(order_id=orderid, strategy=STRATEGY).get("data", {}).get("order_status")


def wait_for_status(c, orderid, wanted):
    """Fills come from the simulator's ticks; a few seconds is plenty, the limit only guards a hang."""
    deadline = time.monotonic() + 20
    status = None
    while time.monotonic() < deadline:
        status = order_status(c, orderid)
        if status == wanted:
            break
        time.sleep(0.1)
    return status


def check_orders(c, ck, option_expiry):
    # CNC and NRML: the sandbox refuses MIS between square-off and 09:00 IST, so MIS would make this
    # check depend on the hour it runs.
    buy = c.placeorder(strategy=STRATEGY, symbol="RELIANCE", action="BUY", exchange="NSE",
                       price_type="MARKET", product="CNC", quantity=10)
    ck.success("placeorder MARKET", buy)
    ck.equal("placeorder MARKET: fills", wait_for_status(c, buy.get("orderid"), "complete"), "complete")

    quote = c.quotes(symbol="SBIN", exchange="NSE")["data"]
    resting_price = round(quote["ltp"] * 0.8, 1)
    limit = c.placeorder(strategy=STRATEGY, symbol="SBIN", action="BUY", exchange="NSE", price_type="LIMIT",
                         product="CNC", quantity=5, price=resting_price)
    ck.success("placeorder LIMIT below the market", limit)
    ck.equal("placeorder LIMIT below the market: rests", order_status(c, limit.get("orderid")), "open")
    modified = c.modifyorder(order_id=limit.get("orderid"), strategy=STRATEGY, symbol="SBIN", action="BUY",
                             exchange="NSE", price_type="LIMIT", product="CNC", quantity=7,
                             price=round(resting_price - 1, 1))
    ck.success("modifyorder", modified)
    book = {o["orderid"]: o for o in c.orderbook()["data"]["orders"]}
    ck.equal("modifyorder: the book shows the new quantity", book.get(limit.get("orderid"), {}).get("quantity"), 7)
    ck.success("cancelorder", c.cancelorder(order_id=limit.get("orderid"), strategy=STRATEGY))
    ck.equal("cancelorder: cancelled", order_status(c, limit.get("orderid")), "cancelled")

    smart = c.placesmartorder(strategy=STRATEGY, symbol="SBIN", action="BUY", exchange="NSE",
                              price_type="MARKET", product="CNC", quantity=4, position_size=4)
    ck.success("placesmartorder", smart)
    ck.equal("placesmartorder: fills", wait_for_status(c, smart.get("orderid"), "complete"), "complete")

    basket = c.basketorder(strategy=STRATEGY, orders=[
        {"symbol": "INFY", "exchange": "NSE", "action": "BUY", "quantity": 3, "pricetype": "MARKET", "product": "CNC"},
        {"symbol": "RELIANCE", "exchange": "NSE", "action": "SELL", "quantity": 4, "pricetype": "MARKET",
         "product": "CNC"}])
    ck.success("basketorder", basket)
    ck.equal("basketorder: every leg accepted", [r.get("status") for r in basket.get("results", [])],
             ["success", "success"])

    split = c.splitorder(strategy=STRATEGY, symbol="TCS", action="BUY", exchange="NSE", quantity=10, splitsize=4,
                         price_type="MARKET", product="CNC")
    ck.success("splitorder", split)
    ck.equal("splitorder: 4 + 4 + 2", [r.get("quantity") for r in split.get("results", [])], [4, 4, 2])

    option = c.optionsorder(strategy=STRATEGY, underlying="NIFTY", exchange="NSE_INDEX", expiry_date=option_expiry,
                            offset="ATM", option_type="CE", action="BUY", quantity=75, price_type="MARKET",
                            product="NRML")
    ck.success("optionsorder", option)
    multi = c.optionsmultiorder(strategy=STRATEGY, underlying="NIFTY", exchange="NSE_INDEX",
                                expiry_date=option_expiry, legs=[
                                    {"offset": "OTM2", "option_type": "PE", "action": "BUY", "quantity": 75,
                                     "pricetype": "MARKET", "product": "NRML"},
                                    {"offset": "OTM1", "option_type": "PE", "action": "SELL", "quantity": 75,
                                     "pricetype": "MARKET", "product": "NRML"}])
    ck.success("optionsmultiorder", multi)
    ck.equal("optionsmultiorder: both legs accepted", [r.get("status") for r in multi.get("results", [])],
             ["success", "success"])

    resting = c.placeorder(strategy=STRATEGY, symbol="INFY", action="BUY", exchange="NSE", price_type="LIMIT",
                           product="CNC", quantity=1, price=1)
    ck.success("placeorder to leave open", resting)
    cancel_all = c.cancelallorder(strategy=STRATEGY)
    ck.success("cancelallorder", cancel_all)
    ck.true("cancelallorder: cancels the open order", resting.get("orderid") in cancel_all.get("canceled_orders", []),
            str(cancel_all))


def check_books_agree(c, ck):
    """Trades, positions, the order book and funds tell one story, to the paisa."""
    wait_until_no_open_orders(c)
    trades = c.tradebook()["data"]
    positions = c.positionbook()["data"]
    orders = c.orderbook()["data"]["orders"]
    net = {}
    for t in trades:
        key = (t["symbol"], t["exchange"], t["product"])
        sign = 1 if t["action"] == "BUY" else -1
        net[key] = net.get(key, 0) + sign * int(t["quantity"])
    held = {(p["symbol"], p["exchange"], p["product"]): int(p["quantity"]) for p in positions}
    ck.equal("positionbook: quantities are the tradebook's net per symbol",
             {k: v for k, v in held.items() if v}, {k: v for k, v in net.items() if v})
    filled = sum(int(o["quantity"]) for o in orders if o["order_status"] == "complete")
    ck.equal("orderbook: filled quantity equals the traded quantity", filled,
             sum(int(t["quantity"]) for t in trades))
    for (symbol, exchange, product), quantity in held.items():
        openpos = c.openposition(strategy=STRATEGY, symbol=symbol, exchange=exchange, product=product)
        ck.equal(f"openposition {symbol}: agrees with positionbook", int(openpos.get("quantity", -1)), quantity)

    closed = c.closeposition(strategy=STRATEGY)
    ck.success("closeposition", closed)
    wait_until_no_open_orders(c)
    wait_until_flat(c)
    ck.equal("closeposition: every position flat",
             [p["symbol"] for p in c.positionbook()["data"] if int(p["quantity"])], [])
    trades = c.tradebook()["data"]
    cash_flow = sum((-1 if t["action"] == "BUY" else 1) * paise(t["trade_value"]) for t in trades)
    funds = c.funds()["data"]
    ck.equal("funds: no margin blocked once flat", paise(funds["utiliseddebits"]), 0)
    ck.equal("funds: realised P&L is the trades' cash flow", paise(funds["m2mrealized"]), cash_flow)
    ck.equal("funds: cash is capital plus realised P&L", paise(funds["availablecash"]),
             paise(10_000_000) + cash_flow)
    ck.equal("funds: nothing unrealised once flat", paise(funds["m2munrealized"]), 0)
    holdings = c.holdings()
    ck.success("holdings", holdings)
    # CNC buys settle into holdings T+1 (00:00 IST); today's were sold again by closeposition.
    ck.equal("holdings: nothing settles the same day", holdings.get("data", {}).get("holdings"), [])


def wait_until_no_open_orders(c):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        orders = c.orderbook()["data"]["orders"]
        if not any(o["order_status"] in ("open", "trigger pending") for o in orders):
            return
        time.sleep(0.1)


def wait_until_flat(c):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not any(int(p["quantity"]) for p in c.positionbook()["data"]):
            return
        time.sleep(0.1)


def check_feed(sdk, key, daemon, ck):
    seen = {1: threading.Event(), 2: threading.Event(), 3: threading.Event()}
    received = {}
    errors = []

    class Client(sdk.api):
        # The SDK logs server errors and carries on; keep them so the check can see them.
        def _process_message(self, message_str):
            if '"status":"error"' in message_str.replace(" ", ""):
                errors.append(message_str)
            super()._process_message(message_str)

    def on_data(update):
        received[update["mode"]] = update
        seen[update["mode"]].set()

    client = Client(api_key=key, host=daemon.host, ws_port=daemon.ws_port)
    ck.equal("feed: connect authenticates", client.connect(), True)
    instruments = [{"exchange": "NSE", "symbol": "RELIANCE"}]
    ck.equal("feed: subscribe_ltp", client.subscribe_ltp(instruments, on_data_received=on_data), True)
    ck.equal("feed: subscribe_quote", client.subscribe_quote(instruments, on_data_received=on_data), True)
    ck.equal("feed: subscribe_depth", client.subscribe_depth(instruments, on_data_received=on_data), True)
    for mode, name in ((1, "LTP"), (2, "Quote"), (3, "Depth")):
        ck.true(f"feed: {name} updates arrive", seen[mode].wait(20), f"nothing in mode {mode}")
    ck.true("feed: LTP price", received.get(1, {}).get("data", {}).get("ltp", 0) > 0, str(received.get(1)))
    ck.fields("feed: Quote fields", received.get(2, {}).get("data", {}),
              ["open", "high", "low", "close", "ltp", "volume"])
    depth = received.get(3, {}).get("data", {}).get("depth", {})
    ck.equal("feed: Depth has five levels a side", (len(depth.get("buy", [])), len(depth.get("sell", []))), (5, 5))
    ck.true("feed: get_ltp has the price", bool(client.get_ltp().get("ltp", {}).get("NSE", {}).get("RELIANCE")),
            str(client.get_ltp()))
    ck.equal("feed: unsubscribe_ltp", client.unsubscribe_ltp(instruments), True)
    ck.equal("feed: unsubscribe_quote", client.unsubscribe_quote(instruments), True)
    ck.equal("feed: unsubscribe_depth", client.unsubscribe_depth(instruments), True)
    time.sleep(0.5)  # let the unsubscribe answers arrive before looking for errors
    client.disconnect()
    ck.equal("feed: the server answered no message with an error", errors, [])


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    sdk = import_sdk()
    ck = Checks()
    with Daemon(sys.argv[1]) as daemon:
        daemon.start()
        key = daemon.issue_api_key()
        client = sdk.api(api_key=key, host=daemon.host, ws_port=daemon.ws_port)
        expiry = check_account_and_data(client, ck)
        option_expiry = check_options_data(client, ck, expiry)
        check_orders(client, ck, option_expiry)
        check_books_agree(client, ck)
        check_feed(sdk, key, daemon, ck)
        client.close()
    return ck.finish("OpenAlgo Python SDK")


if __name__ == "__main__":
    sys.exit(main())
