"""Request-aware pages of the payments feature."""
