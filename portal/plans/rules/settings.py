"""The Region's settings for the zone plans, read from what its officer typed.

The minimum municipal co-financing is € per inhabitant per year (cents); the FNPS threshold
a percentage between 0 and 100 (one decimal). Blank means «not set» (None).
"""
from decimal import Decimal, InvalidOperation

from portal.i18n import _
from portal.plans.rules.errors import InvalidPlanData
from portal.plans.rules.model import AmountError, parse_amount

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
MIN_FIELD, THRESHOLD_FIELD = "cofinanziamento_minimo", "soglia_fnps"


def read_percentage(text):
    """A Decimal in 0–100 with at most one decimal from «90», «87,5»; blank is None."""
    cleaned = (text or "").strip().replace("%", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise AmountError(_("«${text}» non è una percentuale: scrivere ad esempio 90.",
                            mapping={"text": text.strip()[:20]})) from None
    if not value.is_finite():
        raise AmountError(_("«${text}» non è una percentuale.", mapping={"text": text[:20]}))
    if value < 0:
        raise AmountError(_("La soglia non può essere negativa."))
    if value > HUNDRED:
        raise AmountError(_("La soglia è una percentuale: al massimo 100."))
    if value != value.quantize(TENTH):
        raise AmountError(_("La soglia ha al massimo un decimale."))
    return value.quantize(TENTH)


def read_settings(minimum_text, threshold_text):
    """(minimum €/inhabitant/year or None, threshold % or None); ``InvalidPlanData`` names
    each bad field."""
    fields, minimum, threshold = {}, None, None
    try:
        minimum = parse_amount(minimum_text, blank=None)
    except AmountError as exc:
        fields[MIN_FIELD] = exc.message
    try:
        threshold = read_percentage(threshold_text)
    except AmountError as exc:
        fields[THRESHOLD_FIELD] = exc.message
    if fields:
        raise InvalidPlanData(fields=fields)
    return minimum, threshold
