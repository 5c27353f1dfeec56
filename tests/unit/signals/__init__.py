"""Tests of the external-signals package (encoding, hub, consumer)."""
