"""Generic web code: layout, forms, content views, JSON API, search pages, the error mapper."""
from portal.web.forms import configure_deform


def includeme(config):
    configure_deform()
    config.add_translation_dirs("colander:locale", "deform:locale")
    config.add_static_view("static", config.registry.settings["portal.static_dir"],
                           cache_max_age=3600)
    config.include(".layout")
    config.include(".add_links")  # the directive features use for their own add forms
    config.include(".language")  # cookie, then Accept-Language, then Italian
    config.include(".legal")
    config.include(".errors")
    config.include(".request_body")
    # the sub-parts with their own includeme are included by portal.main, in route order
    config.scan(".", ignore=["portal.web.api", "portal.web.search", "portal.web.documents"])
