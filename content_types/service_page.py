"""A service page («Scheda servizio», Designers Italia): what a service is and how to get it."""
import colander

from content_types.base import Content
from content_types.i18n import _
from content_types.page import EDITORIAL_PARENTS, EDITORIAL_WORKFLOW, text_node
from content_types.registry import content_type
from content_types.schemas import BaseSchema, strip
from content_types.security import ADD_EDITORIAL

#: the sections of a service page in the Designers Italia order (their headings: the schema titles)
SECTIONS = ("audience", "how_to", "requirements", "deadlines", "costs", "contacts")
CALL_CODE_MAX = 100


class ServicePageSchema(BaseSchema):
    audience = text_node(_("A chi è rivolto"), required=True)
    how_to = text_node(_("Come fare"), required=True)
    requirements = text_node(_("Cosa serve"))
    deadlines = text_node(_("Tempi e scadenze"))
    costs = text_node(_("Costi"))
    contacts = text_node(_("Contatti"), required=True)
    call_code = colander.SchemaNode(
        colander.String(),
        title="Codice dell'avviso collegato",
        description="Ad esempio buoni-minori-2026: finché l'avviso è aperto, il pulsante "
                    "«Accedi al servizio» porta alla domanda.",
        missing="",
        preparer=strip,
        validator=colander.All(
            colander.Length(max=CALL_CODE_MAX, max_err=f"Al massimo {CALL_CODE_MAX} caratteri."),
            colander.Regex(r"^[a-z0-9-]*$",
                           "Il codice dell'avviso ha solo lettere minuscole, cifre e trattini."),
        ),
    )


@content_type(
    "ServicePage", title="Scheda servizio", title_plural="Schede servizio",
    schema=ServicePageSchema, add_permission=ADD_EDITORIAL, addable_to=EDITORIAL_PARENTS,
    catalog_attributes=("title", "description", *SECTIONS),
    workflow=EDITORIAL_WORKFLOW,
)
class ServicePage(Content):
    type_name = "ServicePage"
    description = ""
    audience = ""
    how_to = ""
    requirements = ""
    deadlines = ""
    costs = ""
    contacts = ""
    call_code = ""  # the code of a Call of the Region (e.g. buoni-minori-2026), or ""
