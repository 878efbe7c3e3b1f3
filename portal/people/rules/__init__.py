"""Pure rules of the social registry: identity, households, addresses (no Pyramid, no ZODB)."""
