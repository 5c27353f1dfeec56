"""Use cases shared by the REST API, the message WebSocket and the CLI."""
