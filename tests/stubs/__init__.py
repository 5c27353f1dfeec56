"""Test doubles that run as real servers (exchange stubs) for integration and contract tests."""
