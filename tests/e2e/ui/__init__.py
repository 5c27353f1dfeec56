"""Browser tests of the built-in web UI against a real bot on the simulated exchange."""
