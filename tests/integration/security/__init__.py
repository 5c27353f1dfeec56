"""Security proofs over real HTTP: API fuzzing, authentication, read-only access, secrets."""
