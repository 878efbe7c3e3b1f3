"""The JSON API under /api (traversal over the same tree)."""
from portal.db import root_factory
from portal.web.api.conditional import conditional_view


def includeme(config):
    # order matters: the fixed routes before the traversal catch-all
    config.add_route("api_openapi", "/api/openapi.json")
    config.add_route("api_session", "/api/sessione")
    config.add_route("api", "/api/*traverse", factory=root_factory)
    # between the renderer and the view: it sees the returned dict, after the permission check
    config.add_view_deriver(conditional_view, name="api_conditional",
                            under="rendered_view", over="mapped_view")
    config.scan(".views")
