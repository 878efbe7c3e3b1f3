"""The classification of interventions (domain.md §9), loaded from ``data/nomenclature.json``.

Data, not code: a Region that adopts more of the interregional nomenclature edits the file.
"""
import functools
import json
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent.parent / "data" / "nomenclature.json"


class Entry(NamedTuple):
    code: str
    title: str
    macro: int = 0  # FNPS objectives: their macro-level


class Nomenclature(NamedTuple):
    areas: tuple
    services: tuple
    objectives: tuple
    macro_levels: dict

    def area(self, code):
        return _find(self.areas, code)

    def service(self, code):
        return _find(self.services, code)

    def objective(self, code):
        return _find(self.objectives, code)


def _find(entries, code):
    for entry in entries:
        if entry.code == code:
            return entry
    return None


@functools.cache
def nomenclature(path=DATA):
    """The table in ``path`` (read once per process)."""
    raw = json.loads(Path(path).read_text("utf-8"))
    return Nomenclature(
        areas=tuple(Entry(e["code"], e["title"]) for e in raw["areas"]),
        services=tuple(Entry(e["code"], e["title"]) for e in raw["services"]),
        objectives=tuple(Entry(e["code"], e["title"], e["macro"]) for e in raw["objectives"]),
        macro_levels={m["macro"]: m["title"] for m in raw["macro_levels"]},
    )
