"""Exception root of the benefits package: ``code`` for machines, ``message`` in Italian.

``BenefitError`` subclasses ``PortalError``: the portal's single error mapper answers with
each class's ``http_status`` (409 when the state forbids the operation, 422 when the data is
well formed but fails the call's rules, 400 for malformed input, 404 for what is not there).
"""
from portal.errors import PortalError
from portal.i18n import _


class BenefitError(PortalError):
    code = "benefit_error"
    http_status = 400
    default_message = _("Operazione sulla domanda non riuscita.")


class InvalidFiscalCode(BenefitError):
    code = "invalid_fiscal_code"


class InvalidRules(BenefitError):
    """A call's rules (bands, keys, eligibility) are inconsistent."""

    code = "invalid_rules"
    http_status = 422


class CallNotOpen(BenefitError):
    code = "call_not_open"
    http_status = 409


class CallClosed(BenefitError):
    code = "call_closed"
    http_status = 409


class NotEligible(BenefitError):
    """One or more eligibility checks failed; ``failures`` lists each one."""

    code = "not_eligible"
    http_status = 422

    def __init__(self, message=None, failures=(), fields=None):
        super().__init__(message, fields or {f.field: f.message for f in failures if f.field})
        self.failures = tuple(failures)


class DuplicateApplication(BenefitError):
    code = "duplicate_application"
    http_status = 409


class EntryUnavailable(BenefitError):
    """The chosen catalogue entry has no free place left."""

    code = "entry_full"
    http_status = 409


class EntryOtherDistrict(BenefitError):
    code = "entry_other_district"
    http_status = 422


class InvalidAttachment(BenefitError):
    code = "invalid_attachment"


class MissingAttachment(BenefitError):
    code = "missing_attachment"
    http_status = 422


class IseeNotFound(BenefitError):
    code = "isee_not_found"
    http_status = 404


class IseeImportError(BenefitError):
    """A CSV registry could not be read; ``fields`` maps "riga N" to the problem."""

    code = "isee_import_failed"


class RankingError(BenefitError):
    code = "ranking_error"
    http_status = 409
