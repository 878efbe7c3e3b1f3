"""The inbox pages (request-aware only)."""
