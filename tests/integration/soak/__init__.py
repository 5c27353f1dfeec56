"""Load soak: a bot with 100 pairs, 50 open and 5 000 closed trades and 20 WebSocket subscribers."""
