"""Tests-only include: the portal catalogs, until portal.main adds them itself."""


def includeme(config):
    config.add_translation_dirs("portal:locale")
