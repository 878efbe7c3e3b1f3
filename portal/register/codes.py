"""The SIUSS benefit code table, read once from ``portal/register/data/siuss_benefits.csv``.

A setting ``register.benefit_codes`` may name another file (the ATS's official INPS table).
"""
import functools
from pathlib import Path

from portal.register.rules.codes import find, parse_table

DEFAULT = Path(__file__).parent / "data" / "siuss_benefits.csv"


@functools.cache
def table(path=None):
    return parse_table(Path(path or DEFAULT).read_text("utf-8"))


def table_for(registry):
    settings = getattr(registry, "settings", None) or {}
    return table(settings.get("register.benefit_codes") or None)


def code(registry, value):
    return find(table_for(registry), value)
