"""HTML views: layout, generic content views, forms, management, errors."""
from .forms import configure_deform


def includeme(config):
    configure_deform()
    config.add_translation_dirs("colander:locale", "deform:locale")
    config.add_static_view("static", config.registry.settings["portal.static_dir"],
                           cache_max_age=3600)
    config.include(".layout")
    config.include(".legal")
    config.include(".errors")
    config.scan(".")
