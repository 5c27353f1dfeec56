"""SQL storage of trades, orders, pair locks and bot state: tables, repositories, migrations."""
