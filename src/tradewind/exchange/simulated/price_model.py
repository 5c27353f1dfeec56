"""A seeded price model that makes plausible crypto candles when no replay file exists.

Log returns are r_t = drift_t + sigma_t * eps_t where
* eps_t is Student-t noise (fat tails) scaled to unit variance,
* sigma_t = sigma * exp(h_t) with h_t a slow AR(1) process (volatility clusters: calm hours
  and wild hours), and
* drift_t is a slower AR(1) process (trends that last most of a day, then fade or reverse),
  strong enough that mean-reversion and trend strategies both find entries.
Wicks grow with sigma_t and volume with both sigma_t and the size of the move.

Candles come in fixed blocks from one random stream per (seed, pair), so the series is the
same however (and in whatever pieces) it is asked for.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

BLOCK = 1024  # candles generated per step; fixed, so the series does not depend on callers
_VOL_PERSISTENCE = 0.97  # ~3 hours of 5m candles
_VOL_SPREAD = 0.45  # stationary stdev of log-volatility
_TREND_PERSISTENCE = 0.996  # ~20 hours of 5m candles
_TREND_SHARE = 0.06  # stationary stdev of the drift, relative to sigma
_T_DOF = 5.0
_AR_CHUNK = 128  # keeps phi**-t well inside float range in `_ar1`


@dataclass(frozen=True)
class ModelParams:
    """sigma: typical log-return stdev per candle; volume: typical base volume per candle."""

    sigma: float
    volume: float


@dataclass(frozen=True)
class Candles:
    """Column arrays of consecutive candles."""

    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: FloatArray

    def __len__(self) -> int:
        return len(self.close)


def pair_seed(seed: int, pair: str, stream: int = 0) -> list[int]:
    """A stable seed sequence for numpy (Python's str hash changes between processes)."""
    digest = hashlib.blake2b(pair.encode(), digest_size=8).digest()
    return [seed & 0xFFFFFFFF, int.from_bytes(digest, "little"), stream]


class PriceModel:
    """Generates candle blocks continuing from `last_close`, deterministic per seed."""

    def __init__(self, seed_sequence: list[int], params: ModelParams, last_close: float) -> None:
        if not last_close > 0 or not params.sigma > 0:
            raise ValueError("the price model needs a positive start price and volatility")
        self.params = params
        self._rng = np.random.default_rng(seed_sequence)
        self._close = last_close
        self._log_vol = 0.0
        self._drift = 0.0

    def next_block(self) -> Candles:
        """The next BLOCK candles."""
        rng, sigma = self._rng, self.params.sigma
        vol_noise = rng.standard_normal(BLOCK) * _VOL_SPREAD * math.sqrt(1 - _VOL_PERSISTENCE**2)
        log_vol = _ar1(self._log_vol, _VOL_PERSISTENCE, vol_noise)
        trend_sd = _TREND_SHARE * sigma * math.sqrt(1 - _TREND_PERSISTENCE**2)
        drift = _ar1(self._drift, _TREND_PERSISTENCE, rng.standard_normal(BLOCK) * trend_sd)
        sigma_t = sigma * np.exp(log_vol - _VOL_SPREAD**2 / 2)
        eps = rng.standard_t(_T_DOF, BLOCK) / math.sqrt(_T_DOF / (_T_DOF - 2))
        returns = drift + sigma_t * eps
        close = self._close * np.exp(np.cumsum(returns))
        open_ = np.concatenate(([self._close], close[:-1]))
        upper = np.abs(rng.standard_normal(BLOCK)) * sigma_t * 0.6
        lower = np.abs(rng.standard_normal(BLOCK)) * sigma_t * 0.6
        high = np.maximum(open_, close) * np.exp(upper)
        low = np.minimum(open_, close) * np.exp(-lower)
        activity = (sigma_t / sigma) * (0.6 + 0.4 * np.abs(eps))
        volume = self.params.volume * activity * np.exp(rng.normal(-0.08, 0.4, BLOCK))
        self._close = float(close[-1])
        self._log_vol = float(log_vol[-1])
        self._drift = float(drift[-1])
        return Candles(open_, high, low, close, volume)


def _ar1(start: float, phi: float, noise: FloatArray) -> FloatArray:
    """x_t = phi * x_{t-1} + noise_t for t = 1..n, without a Python loop per element."""
    out = np.empty_like(noise)
    state = start
    for begin in range(0, len(noise), _AR_CHUNK):
        chunk = noise[begin : begin + _AR_CHUNK]
        powers = phi ** np.arange(1, len(chunk) + 1)
        values = powers * (state + np.cumsum(chunk / powers))
        out[begin : begin + len(chunk)] = values
        state = float(values[-1])
    return out


def estimate_params(candles: Candles, fallback: ModelParams) -> ModelParams:
    """Volatility and volume of the last few thousand candles of a replay file.

    A robust (median-based) stdev of the log returns ignores the flat gap-filled candles and
    the occasional spike; zero-volume candles are ignored for the volume level.
    """
    close = candles.close[-4000:]
    returns = np.diff(np.log(close))
    moving = returns[returns != 0]
    sigma = fallback.sigma
    if len(moving) >= 20:
        sigma = float(np.median(np.abs(moving - np.median(moving)))) * 1.4826
    volume = candles.volume[-4000:]
    traded = volume[volume > 0]
    level = float(np.median(traded)) if len(traded) else fallback.volume
    return ModelParams(sigma=max(sigma, 1e-5), volume=max(level, 1e-9))


# Rough price levels (in USD-like quotes) of well-known coins, so generated markets look
# familiar; any other base gets a stable pseudo-random level.
_KNOWN_USD = {
    "BTC": 60000.0,
    "ETH": 3000.0,
    "BNB": 550.0,
    "SOL": 150.0,
    "XRP": 0.55,
    "ADA": 0.45,
    "DOGE": 0.12,
    "LTC": 80.0,
    "DOT": 6.5,
    "LINK": 14.0,
}
_QUOTE_USD = {
    "USDT": 1.0,
    "USDC": 1.0,
    "BUSD": 1.0,
    "USD": 1.0,
    "EUR": 1.08,
    "BTC": 60000.0,
    "ETH": 3000.0,
    "BNB": 550.0,
}
_CANDLE_NOTIONAL_USD = 150_000.0  # typical quote volume of a 5m candle of a liquid pair


def default_params(seed_sequence: list[int], base: str, quote: str) -> tuple[ModelParams, float]:
    """(params, start price) for a pair without replay data; deterministic per seed."""
    rng = np.random.default_rng([*seed_sequence, 7])
    base_usd = _KNOWN_USD.get(base, float(10 ** rng.uniform(-1.5, 2.5)))
    quote_usd = _QUOTE_USD.get(quote, 1.0)
    price = base_usd / quote_usd * float(rng.uniform(0.9, 1.1))
    sigma = float(rng.uniform(0.0025, 0.005))
    volume = _CANDLE_NOTIONAL_USD / base_usd * float(rng.uniform(0.3, 3.0))
    return ModelParams(sigma=sigma, volume=volume), price
