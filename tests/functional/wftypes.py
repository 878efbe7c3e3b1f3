"""Test-only content types wired to the shipped workflows (included via portal.includes)."""
from content_types.base import Content
from content_types.schemas import BaseSchema


class TestEntry(Content):
    """A catalogue-entry stand-in: lives in a provider, follows ``catalogue_entry``."""

    type_name = "TestEntry"
    description = ""


def includeme(config):
    config.add_content_type(
        "TestEntry", TestEntry, title="Voce di prova", schema=BaseSchema,
        addable_to=("Provider",), workflow="catalogue_entry",
    )
