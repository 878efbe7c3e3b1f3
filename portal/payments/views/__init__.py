"""The pages of attestations and payments (request-aware only)."""
