"""Pure domain types: pairs, timeframes, enums, money, clocks, trades, orders, events (no I/O)."""
