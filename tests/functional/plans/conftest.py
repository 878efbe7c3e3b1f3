"""Fixtures of the zone-plan tests, registered once here so the test modules never re-import them."""
