"""The JSON API under /api (traversal over the same tree)."""
from ..db import root_factory


def includeme(config):
    # order matters: the fixed routes before the traversal catch-all
    config.add_route("api_openapi", "/api/openapi.json")
    config.add_route("api_session", "/api/sessione")
    config.add_route("api", "/api/*traverse", factory=root_factory)
    config.scan(".views")
