"""A Binance spot REST stub on 127.0.0.1 that real ccxt code talks to in tests.

README
======
It replays `<BASE>_<QUOTE>-5m.feather` candle files (default: ../shared/data/ohlcv, the 10
BTC-quoted pairs) as a continuous price path on a clock the test controls, and speaks the part
of Binance's REST API v3 that ccxt's `binance` uses for tradewind: ping, time, exchangeInfo,
klines (startTime/endTime/limit, max 1000 per call, intervals 1m…1w derived from the 5m
data), ticker/24hr, ticker/bookTicker, depth, order (POST/GET/DELETE, newClientOrderId /
origClientOrderId), openOrders, allOrders, myTrades and account. Private endpoints need the
`X-MBX-APIKEY` header plus `timestamp` and `signature` parameters (the signature itself is not
checked); every request is recorded (`stub.requests`, `stub.private_calls`).

Orders are matched against the path when time advances (`set_time`/`advance`): market orders
fill at once at the ask/bid, limit orders when the price trades through them, STOP_LOSS_LIMIT
orders (stopPrice, price, timeInForce) trigger when the price reaches the stop and then fill
like a limit order (see `account.py`); fees are 0.1% of the quote value, charged in the quote
asset. `stub.crash(pair, at, factor)` scales a pair's prices from a future candle on (a market
crash). Faults on demand: see `faults.py`.

In-process (a background thread)::

    stub = BinanceStub(Path("../shared/data/ohlcv"), datetime(2018, 1, 20, tzinfo=UTC)).start()
    stub.advance(300_000)                         # five minutes of market time
    stub.inject("late_response", "POST /api/v3/order", delay=1.0)
    stub.random_faults(0.2, [Fault("error5xx"), Fault("timeout", delay=1.0)], seed=3)
    stub.stop()

As a subprocess (control through HTTP, see `control.py`)::

    python -m tests.stubs.binance_stub --port 8765 --data ../shared/data/ohlcv \\
        --start 2018-01-20T00:00:00Z [--speed 60]

Pointing ccxt (or a bot's config) at it — `exchange.ccxt_config` of a tradewind config::

    "exchange": {"name": "binance", "key": "stub-key", "secret": "stub-secret",
      "ccxt_config": {"urls": {"api": {
          "public": "http://127.0.0.1:8765/api/v3",
          "private": "http://127.0.0.1:8765/api/v3",
          "sapi": "http://127.0.0.1:8765/sapi/v1", ...}}}}

`stub.ccxt_config()` (or `ccxt_urls(url)`) builds that dict with every binance API key mapped
onto the stub, so a stray call to an endpoint the stub lacks is a recorded 404, never a request
to the internet. The adapter's binance quirks restrict ccxt to spot markets, so loading markets
only calls exchangeInfo.
"""

from tests.stubs.binance_stub.faults import Fault
from tests.stubs.binance_stub.server import BinanceStub, RequestRecord, ccxt_urls

__all__ = ["BinanceStub", "Fault", "RequestRecord", "ccxt_urls"]
