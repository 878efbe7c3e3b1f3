"""Benchmark-only: a document type with a publication workflow (``portal.includes``).

Mirrors Plone's simple publication workflow (private, pending, published), so the
sorted-listing and creation figures compare like with like. Never shipped.
"""
from content_types.page import Page, PageSchema
from content_types.security import DELETE, EDIT, OWNER, REGION_OFFICER, VIEW
from workflows.engine import State, Transition, Workflow

NAME = "bench_publication"
PRIVATE, PENDING, PUBLISHED = "private", "pending", "published"
SUBMIT, REVIEW = "submit", "review"

WORKFLOW = Workflow(NAME, "Pubblicazione (benchmark)", (
    State(PRIVATE, "Privato", {OWNER: (VIEW, EDIT, DELETE, SUBMIT),
                               REGION_OFFICER: (VIEW, EDIT, REVIEW)}),
    State(PENDING, "In revisione", {OWNER: (VIEW,), REGION_OFFICER: (VIEW, EDIT, REVIEW)}),
    State(PUBLISHED, "Pubblicato", {"Everyone": (VIEW,), OWNER: (VIEW,),
                                    REGION_OFFICER: (VIEW, EDIT, REVIEW)}),
), (
    Transition("submit", "Invia in revisione", (PRIVATE,), PENDING, SUBMIT),
    Transition("publish", "Pubblica", (PRIVATE, PENDING), PUBLISHED, REVIEW),
    Transition("retract", "Ritira", (PUBLISHED,), PRIVATE, REVIEW),
), PRIVATE, (VIEW, EDIT, DELETE, SUBMIT, REVIEW))


class BenchDocument(Page):
    """A page that follows ``bench_publication``."""

    type_name = "BenchDocument"


def includeme(config):
    config.add_workflow(WORKFLOW)
    config.add_content_type(
        "BenchDocument", BenchDocument, title="Documento (benchmark)", schema=PageSchema,
        addable_to=("Folder",), catalog_attributes=("title", "description", "body"),
        workflow=NAME,
    )
