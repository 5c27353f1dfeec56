"""The HTTP adapter: FastAPI app factory, routes, auth, the message WebSocket and the UI mount."""
