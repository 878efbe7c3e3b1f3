"""Test-only content types wired to the shipped workflows (included via portal.includes)."""
from content_types.base import Content
from content_types.schemas import BaseSchema

# pytest must not collect these classes
__test__ = False


class TestEntry(Content):
    """A catalogue-entry stand-in: lives in a provider, follows ``catalogue_entry``."""

    type_name = "TestEntry"
    description = ""


class TestApplication(Content):
    """An application stand-in: lives in a district, follows ``application``."""

    type_name = "TestApplication"
    description = ""


def includeme(config):
    config.add_content_type(
        "TestApplication", TestApplication, title="Domanda di prova", schema=BaseSchema,
        addable_to=("District",), workflow="application",
        add_permission="view",  # test type: anyone who sees the district may apply
    )
    config.add_content_type(
        "TestEntry", TestEntry, title="Voce di prova", schema=BaseSchema,
        addable_to=("Provider",), workflow="catalogue_entry",
    )
