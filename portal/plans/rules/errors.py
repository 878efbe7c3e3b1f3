"""Exception root of the zone plans: ``code`` for machines, ``message`` in Italian.

409 when the plan's state or a concurrent change forbids the operation (approved, under
review, a section saved by someone else), 422 when the data breaks the plan's rules.
"""
from portal.errors import PortalError
from portal.i18n import _


class PlanError(PortalError):
    code = "plan_error"
    http_status = 422
    default_message = _("Operazione sul piano di zona non riuscita.")


class InvalidPlanData(PlanError):
    """An amount, a code or a row of a section is malformed: nothing was saved."""

    code = "invalid_plan_data"
    default_message = _("Alcuni dati del piano non sono validi: nessuna modifica è stata "
                        "salvata. Correggere i campi indicati.")


class InvariantsBroken(PlanError):
    """Submission refused: ``problems`` lists what to fix."""

    code = "invariants_broken"
    default_message = _("Il piano non può essere inviato finché non si correggono i "
                        "problemi elencati.")

    def __init__(self, message=None, fields=None, *, problems=(), **details):
        super().__init__(message, fields, **details)
        self.problems = tuple(problems)


class PlanFrozen(PlanError):
    code = "plan_frozen"
    http_status = 409
    default_message = _("Il piano approvato non si modifica più. Per cambiarlo, creare una "
                        "nuova versione dalla pagina del piano.")


class PlanNotEditable(PlanError):
    code = "plan_not_editable"
    http_status = 409
    default_message = _("Il piano è all'esame della Regione: si può modificare solo dopo che "
                        "è stato restituito.")


class SectionConflict(PlanError):
    code = "section_conflict"
    http_status = 409
    default_message = _("Questa sezione del piano è stata modificata da un'altra persona "
                        "dopo l'apertura del modulo: nessuna modifica è stata salvata. "
                        "Ricaricare la pagina per vedere la versione aggiornata e ripetere "
                        "le modifiche.")


class VersionOpen(PlanError):
    code = "version_open"
    http_status = 409
    default_message = _("Esiste già una versione del piano non ancora approvata: modificare "
                        "quella invece di crearne un'altra.")


class PlanExists(PlanError):
    code = "plan_exists"
    http_status = 409
    default_message = _("Esiste già un piano di zona per questo periodo.")


class InvalidPeriod(PlanError):
    code = "invalid_period"
    default_message = _("Il periodo del piano è di tre anni consecutivi, ad esempio 2025-2027.")
