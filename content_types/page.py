"""A page of text (notices, guides, legal pages), published through the editorial workflow."""
import colander
import deform.widget

from content_types.base import Content
from content_types.folder import GENERIC_PARENTS
from content_types.registry import content_type
from content_types.schemas import TEXT_MAX, BaseSchema, strip
from content_types.security import ADD_EDITORIAL

#: the workflow of the editorial types (``workflows.editorial``; content types may not import it)
EDITORIAL_WORKFLOW = "editorial"
#: where the Region's and the ATS' editorial content lives: /regione, each ATS, /documenti
EDITORIAL_PARENTS = ("Region", "District", "Folder")


def text_node(title, required=False, description="", rows=6):
    """A long text field: stripped, at most ``TEXT_MAX`` characters, optionally required."""
    return colander.SchemaNode(
        colander.String(),
        title=title,
        description=description,
        missing=colander.required if required else "",
        missing_msg=f"Il campo «{title}» è obbligatorio.",
        preparer=strip,
        validator=colander.Length(min=1 if required else 0, max=TEXT_MAX,
                                  min_err=f"Il campo «{title}» è obbligatorio.",
                                  max_err=f"Al massimo {TEXT_MAX} caratteri."),
        widget=deform.widget.TextAreaWidget(rows=rows),
    )


class PageSchema(BaseSchema):
    body = text_node("Testo", rows=10)


@content_type(
    "Page", title="Pagina", title_plural="Pagine", schema=PageSchema,
    add_permission=ADD_EDITORIAL, addable_to=GENERIC_PARENTS,
    catalog_attributes=("title", "description", "body"), workflow=EDITORIAL_WORKFLOW,
)
class Page(Content):
    type_name = "Page"
    description = ""
    body = ""
