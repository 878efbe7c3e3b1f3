"""CSV files people open in spreadsheets: RFC 4180, UTF-8 with BOM, formulas neutralised.

Shared by every export (the catalogue's open data, spending, payments, the monitoring
feed), so they all read the same way and all resist CSV injection.
"""
import csv
import io

#: a cell starting with one of these would run as a formula in a spreadsheet
FORMULA_STARTS = ("=", "+", "-", "@")


def is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def safe(value):
    """Free text starting like a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not is_number(value):
        return "'" + value
    return value


def write(header, rows):
    """The whole file as text: ``header`` (names) then ``rows`` (sequences), comma separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe(value) for value in row])
    return "\ufeff" + out.getvalue()
