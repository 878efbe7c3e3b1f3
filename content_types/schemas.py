"""Schema pieces shared by several content types."""
import colander
import deform.widget

TITLE_MAX = 200
TEXT_MAX = 20_000


def strip(value):
    return value.strip() if isinstance(value, str) else value


class BaseSchema(colander.MappingSchema):
    """Title and description: every content type starts here."""

    title = colander.SchemaNode(
        colander.String(),
        title="Titolo",
        preparer=strip,
        validator=colander.Length(min=1, max=TITLE_MAX,
                                  min_err="Il titolo è obbligatorio.",
                                  max_err=f"Al massimo {TITLE_MAX} caratteri."),
    )
    description = colander.SchemaNode(
        colander.String(),
        title="Descrizione",
        missing="",
        preparer=strip,
        validator=colander.Length(max=2000, max_err="Al massimo 2000 caratteri."),
        widget=deform.widget.TextAreaWidget(rows=3),
    )
