"""Wire formats: REST request/response bodies and WebSocket messages.

Modules: ``json`` (NaN-safe encoding, ``NanSafeJSONResponse``), ``dates`` (the date flavours),
``auth`` (tokens), ``info`` (ping, version, show_config, logs, sysinfo, health, ui_version),
``control`` (status/result messages, force enter/exit, delete trade), ``trades`` (trade and
order models, custom data), ``trades_raw`` (raw dicts of ``GET /trades``), ``stats`` (count,
balance, profit, performance, periods, stats, historic balance), ``pairs`` (white/blacklist,
locks, available pairs, markets), ``candles`` (pair candles/history, plot config),
``strategy`` (strategy list and parameters), ``ws`` (message WebSocket frames), ``bounds``
(the integer range a request may hand to the database).
"""
