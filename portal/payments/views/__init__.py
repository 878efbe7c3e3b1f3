"""Request-aware views of the monthly cycle (one module per role)."""
