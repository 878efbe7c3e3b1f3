"""Money as Decimal, rounded half-up to cents, and shown the Italian way."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_decimal(value):
    """A Decimal from a Decimal, int or string («12.450,00» and «12450.00» both accepted)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    text = str(value).strip().replace("€", "").replace(" ", "")
    if "," in text:
        # Italian format: dots group thousands, the comma is the decimal mark
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None


def cents(value):
    """``value`` rounded half-up to cents."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def euro(value):
    """«€ 12.450,00»."""
    amount = cents(value)
    sign = "-" if amount < 0 else ""
    whole, frac = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}€ {'.'.join(groups)},{frac}"


def percent(value):
    """«20%» or «7,5%»."""
    text = format(to_decimal(value).normalize(), "f")
    return text.replace(".", ",") + "%"
