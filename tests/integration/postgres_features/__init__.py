"""Every feature on PostgreSQL: the real-HTTP API smoke, a restart, the WebSocket."""
