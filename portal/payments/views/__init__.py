"""Pages of the payments feature."""
