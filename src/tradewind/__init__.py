"""tradewind: a self-hosted crypto trading bot, wire-compatible with Freqtrade's API."""

__version__ = "0.1.0"
