"""Exchanges: the Exchange port, the offline simulated exchange, the paper broker and ccxt."""
