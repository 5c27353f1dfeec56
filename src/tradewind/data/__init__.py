"""Market data: OHLCV files on disk (feather/parquet/json), the candle cache, downloads."""
