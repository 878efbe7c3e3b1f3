"""A page of text (notices, guides, legal pages)."""
import colander
import deform.widget

from content_types.base import Content
from content_types.folder import GENERIC_PARENTS
from content_types.registry import content_type
from content_types.schemas import TEXT_MAX, BaseSchema, strip


class PageSchema(BaseSchema):
    body = colander.SchemaNode(
        colander.String(),
        title="Testo",
        missing="",
        preparer=strip,
        validator=colander.Length(max=TEXT_MAX, max_err=f"Al massimo {TEXT_MAX} caratteri."),
        widget=deform.widget.TextAreaWidget(rows=10),
    )


@content_type(
    "Page", title="Pagina", title_plural="Pagine", schema=PageSchema,
    addable_to=GENERIC_PARENTS, catalog_attributes=("title", "description", "body"),
)
class Page(Content):
    type_name = "Page"
    description = ""
    body = ""
