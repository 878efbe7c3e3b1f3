"""A news item («Notizia») of the Region or of an ATS, with the date it shows."""
import colander

from content_types.base import Content
from content_types.page import EDITORIAL_PARENTS, EDITORIAL_WORKFLOW, text_node
from content_types.registry import content_type
from content_types.schemas import BaseSchema
from content_types.security import ADD_EDITORIAL


class NewsItemSchema(BaseSchema):
    date = colander.SchemaNode(
        colander.Date(),
        title="Data della notizia",
        description="Se vuota, la data di pubblicazione.",
        missing=None,
    )
    body = text_node("Testo", required=True, rows=12)


@content_type(
    "NewsItem", title="Notizia", title_plural="Notizie", schema=NewsItemSchema,
    add_permission=ADD_EDITORIAL, addable_to=EDITORIAL_PARENTS,
    catalog_attributes=("title", "description", "body"), workflow=EDITORIAL_WORKFLOW,
)
class NewsItem(Content):
    type_name = "NewsItem"
    description = ""
    body = ""
    date = None  # a datetime.date; None: the day it was published
