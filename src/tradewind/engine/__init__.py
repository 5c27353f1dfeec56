"""The trading loop and its collaborators: candles, analysis, orders, exits, entries, wallet."""
