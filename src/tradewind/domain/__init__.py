"""Pure domain types: pairs, timeframes, enums, money, clocks, trades, orders and events (no I/O)."""
