"""Data files shipped with tradewind (replay candles for the offline simulated exchange)."""
