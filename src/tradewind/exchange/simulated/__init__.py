"""The offline simulated exchange: replayed and generated candles, paper fills."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from tradewind.exchange.simulated.exchange import SimulatedExchange

__all__ = ["SimulatedExchange", "packaged_data_dir"]


def packaged_data_dir() -> Path:
    """The directory of the replay candles shipped in the package (`<BASE>_BTC-5m.feather`).

    tradewind is installed as plain files (wheel or editable), so the resource is a real
    directory and can be handed to `SimulatedExchange(source_dirs=[...])` as is.
    """
    return Path(str(files("tradewind.resources").joinpath("ohlcv")))
