"""Rankings (graduatorie) per ATS: ordered keys from the call, funding against the budget.

Rules (domain.md §5, as data): sort by the call's ordered keys (default: priority
first, ISEE ascending, submission time ascending; the protocol number breaks any
remaining tie); fund in order while the cumulative cost fits the budget; stop at
the first application that does not fit unless the call allows skipping.
A ranking is frozen as a snapshot of its inputs, so it can be recomputed and
explained line by line; *scorrimento* is a new version, compared with the old one.
Money once committed stays committed: an application funded, active or concluded
(``HOLDS_FUNDING``) keeps its funding, with the same amount, in every later version,
and no version may commit more than the budget.
"""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from persistent import Persistent

from content_types.values import ZERO, cents, euro, format_when, to_decimal
from portal.applications.rules.errors import InvalidRules, RankingError
from portal.i18n import _
from workflows.application import HOLDS_FUNDING

FUNDED = "finanziata"
NOT_FUNDED = "non_finanziata"
OUTCOME_TITLES = {FUNDED: "FINANZIATA", NOT_FUNDED: "NON FINANZIATA"}

#: key field -> (Italian name used in explanations, allowed orders)
KEY_FIELDS = {
    "priority": "priorità dichiarata",
    "priorities": "numero di priorità dichiarate",
    "isee": "valore ISEE",
    "submitted_at": "orario di invio",
    "cost": "importo richiesto",
}
DEFAULT_KEYS = (("priority", "desc"), ("isee", "asc"), ("submitted_at", "asc"))


@dataclass(frozen=True)
class Candidate:
    """One admitted application as the ranking sees it (no names: protocol only)."""

    protocol: str
    isee: object  # Decimal
    submitted_at: datetime  # aware
    monthly_voucher: object  # Decimal
    months: int
    priority: bool = False
    priorities: int = 0

    @property
    def cost(self):
        return cents(self.monthly_voucher * self.months)

    def as_row(self):
        return (self.protocol, str(self.isee), self.submitted_at.isoformat(),
                str(self.monthly_voucher), self.months, self.priority, self.priorities)

    @classmethod
    def from_row(cls, row):
        protocol, isee, submitted, voucher, months, priority, priorities = row
        return cls(protocol, to_decimal(isee), datetime.fromisoformat(submitted),
                   to_decimal(voucher), months, priority, priorities)


@dataclass(frozen=True)
class RankingRules:
    keys: tuple = DEFAULT_KEYS
    allow_skipping: bool = False

    @classmethod
    def from_data(cls, data):
        data = data or {}
        keys = []
        for item in data.get("keys") or [{"field": f, "order": o} for f, o in DEFAULT_KEYS]:
            name, order = item.get("field"), item.get("order", "asc")
            if name not in KEY_FIELDS:
                raise InvalidRules(_("Criterio di graduatoria sconosciuto: «${name}».",
                                     mapping={"name": name}))
            if order not in ("asc", "desc"):
                raise InvalidRules(_("Ordine non valido per «${name}»: usare asc o desc.",
                                     mapping={"name": name}))
            keys.append((name, order))
        if len({k for k, _ in keys}) != len(keys):
            raise InvalidRules(_("Un criterio di graduatoria è ripetuto."))
        return cls(tuple(keys), bool(data.get("allow_skipping", False)))

    def to_data(self):
        return {"keys": [{"field": f, "order": o} for f, o in self.keys],
                "allow_skipping": self.allow_skipping}

    def sort_key(self):
        getters = []
        for name, order in self.keys:
            sign = -1 if order == "desc" else 1
            if name == "submitted_at":
                getters.append(lambda c, s=sign: s * c.submitted_at.timestamp())
            elif name == "cost":
                getters.append(lambda c, s=sign: s * c.cost)
            else:
                getters.append(lambda c, n=name, s=sign: s * getattr(c, n))

        def key(candidate):
            return (*(get(candidate) for get in getters), candidate.protocol)
        return key


@dataclass(frozen=True)
class Line:
    """One row of a ranking, with what is needed to explain it."""

    position: int
    candidate: Candidate
    outcome: str
    available_before: object
    available_after: object
    cumulative: object = None  # cumulative funded cost, funded rows only
    first_in_line: bool = False  # the first not funded: next for scorrimento
    kept: bool = False  # funded in the previous version and kept
    blocked_by: int = None  # the position that stopped the funding
    decided_by: str = None  # key that puts this row before the next one
    next_protocol: str = None

    @property
    def protocol(self):
        return self.candidate.protocol

    @property
    def funded(self):
        return self.outcome == FUNDED

    def explanation(self, with_isee=True):
        """The Italian explanation of this row (``with_isee=False``: for the public page)."""
        c = self.candidate
        isee = f"; ISEE {euro(c.isee)}" if with_isee else ""
        parts = [
            (f"Posizione {self.position}: protocollo {c.protocol}; priorità "
            f"{'sì' if c.priority else 'no'}{isee}; inviata il "
            f"{format_when(c.submitted_at)}."),
            f"Buono {euro(c.monthly_voucher)} × {c.months} mesi = {euro(c.cost)}.",
        ]
        if self.kept:
            parts.append("Già finanziata nella versione precedente: il finanziamento resta.")
        elif self.funded:
            parts.append(f"Fondi disponibili {euro(self.available_before)}: la domanda rientra; "
                         f"restano {euro(self.available_after)} → FINANZIATA.")
        elif self.blocked_by is None:
            parts.append(f"Fondi disponibili {euro(self.available_before)}, insufficienti → "
                         "NON FINANZIATA" + (" (prima in attesa di scorrimento)."
                                             if self.first_in_line else "."))
        elif c.cost <= self.available_before:
            parts.append(f"Pur rientrando nei fondi residui di {euro(self.available_before)}, "
                         f"non è finanziata: l'avviso non consente di scavalcare la domanda in "
                         f"posizione {self.blocked_by} → NON FINANZIATA.")
        else:
            parts.append(f"Fondi residui {euro(self.available_before)}, insufficienti; "
                         f"l'avviso non consente di scavalcare la domanda in posizione "
                         f"{self.blocked_by} → NON FINANZIATA.")
        if self.decided_by:
            parts.append(f"Precede il protocollo {self.next_protocol} per "
                         f"{KEY_FIELDS.get(self.decided_by, 'numero di protocollo')}.")
        return " ".join(parts)


@dataclass(frozen=True)
class Ranking:
    budget: object
    rules: RankingRules
    lines: tuple = field(default_factory=tuple)
    #: what the version could newly fund (the ledger's remaining); None: budget − kept costs
    available: object = None

    @property
    def funded(self):
        return [line for line in self.lines if line.funded]

    @property
    def spent(self):
        return sum((line.candidate.cost for line in self.funded), ZERO)

    @property
    def left(self):
        if self.available is None:
            return self.budget - self.spent
        return self.available - sum((line.candidate.cost for line in self.funded
                                     if not line.kept), ZERO)

    def line(self, protocol):
        for line in self.lines:
            if line.protocol == protocol:
                return line
        raise KeyError(protocol)

    def public_rows(self):
        """Pseudonymised rows (protocol, never names) for the PDF and the public page."""
        return [{"position": line.position, "protocol": line.protocol, "applicant": "",
                 "score": "priorità" if line.candidate.priority else "",
                 "isee": line.candidate.isee, "cost": line.candidate.cost,
                 "outcome": OUTCOME_TITLES[line.outcome]} for line in self.lines]


def _deciding_key(rules, key, this, following):
    a, b = key(this), key(following)
    for index, (name, _order) in enumerate(rules.keys):
        if a[index] != b[index]:
            return name
    return "protocol"


def compute(candidates, budget, rules=None, already_funded=frozenset(), available=None):
    """Rank ``candidates`` and fund them against ``budget`` (Decimal).

    ``already_funded`` (protocols) keeps the funding of a previous version: their
    cost is set aside first, so a *scorrimento* never takes money back. ``available``,
    when given, is exactly what may be newly funded (the ledger's remaining, which also
    counts money paid to revoked applications and released by early ends).
    """
    rules = rules or RankingRules()
    budget = cents(budget)
    given = available
    if budget < 0:
        raise RankingError(_("Il budget dell'Ambito non può essere negativo."))
    seen = set()
    for candidate in candidates:
        if candidate.protocol in seen:
            raise RankingError(_("Il protocollo ${protocol} compare due volte.",
                                 mapping={"protocol": candidate.protocol}))
        seen.add(candidate.protocol)
    key = rules.sort_key()
    ordered = sorted(candidates, key=key)
    committed = sum((c.cost for c in ordered if c.protocol in already_funded), ZERO)
    if available is not None:
        available = cents(available)
        if available < 0:
            raise RankingError(_("I fondi disponibili dell'Ambito non possono essere negativi."))
    elif committed > budget:
        raise RankingError(
            _("Il budget dell'Ambito (${budget}) è inferiore alle somme già impegnate per le domande "
              "finanziate, attive o concluse (${committed}): una nuova versione della graduatoria non "
              "può togliere fondi già assegnati.",
              mapping={"budget": euro(budget), "committed": euro(committed)}))
    else:
        available = budget - committed
    start = available
    cumulative = ZERO
    lines = []
    blocked_by = None
    first_seen = False
    count = len(ordered)
    for index, candidate in enumerate(ordered):
        position = index + 1
        cost = candidate.cost
        before = available
        decided = None
        following = None
        if index + 1 < count:
            following = ordered[index + 1]
            decided = _deciding_key(rules, key, candidate, following)
        kept = candidate.protocol in already_funded
        if kept or (blocked_by is None and cost <= available):
            if not kept:
                available -= cost
            cumulative += cost
            lines.append(Line(position, candidate, FUNDED, before, available, cumulative,
                              kept=kept, decided_by=decided,
                              next_protocol=following.protocol if following else None))
            continue
        first = not first_seen
        first_seen = True
        lines.append(Line(position, candidate, NOT_FUNDED, before, available,
                          first_in_line=first, blocked_by=blocked_by, decided_by=decided,
                          next_protocol=following.protocol if following else None))
        if not rules.allow_skipping and blocked_by is None:
            blocked_by = position
    return Ranking(budget, rules, tuple(lines), None if given is None else start)


# -- frozen snapshots and versions ---------------------------------------------------------

def digest(budget, rules, rows, available=None):
    """SHA-256 of the canonical inputs: the same inputs always give the same ranking."""
    inputs = {"budget": str(cents(budget)), "rules": rules.to_data(), "rows": sorted(rows)}
    if available is not None:  # snapshots frozen before the ledger have no such input
        inputs["available"] = str(cents(available))
    payload = json.dumps(inputs, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


class RankingSnapshot(Persistent):
    """A frozen ranking: its inputs, outcomes and digest; never changed once made."""

    available = None  # the money it could newly fund (str); None in snapshots before the ledger

    def __init__(self, ranking, *, version, district, call_uid, call_version, created_at,
                 created_by, reason="", previous_digest=None):
        self.version = version
        self.district = district
        self.call_uid = call_uid
        self.call_version = call_version
        self.created_at = created_at
        self.created_by = created_by
        self.reason = reason
        self.previous_digest = previous_digest
        self.budget = str(ranking.budget)
        self.rules = ranking.rules.to_data()
        self.rows = tuple(line.candidate.as_row() for line in ranking.lines)
        self.outcomes = tuple((line.protocol, line.outcome, line.kept) for line in ranking.lines)
        if ranking.available is not None:
            self.available = str(ranking.available)
        self.digest = digest(ranking.budget, ranking.rules, self.rows, ranking.available)

    def candidates(self):
        return [Candidate.from_row(row) for row in self.rows]

    def funded_protocols(self):
        return frozenset(p for p, outcome, _ in self.outcomes if outcome == FUNDED)

    def ranking(self):
        """The ranking recomputed from the frozen inputs (explanations come from here)."""
        kept = frozenset(p for p, _, was_kept in self.outcomes if was_kept)
        available = None if self.available is None else to_decimal(self.available)
        ranking = compute(self.candidates(), to_decimal(self.budget),
                          RankingRules.from_data(self.rules), kept, available)
        if tuple((x.protocol, x.outcome, x.kept) for x in ranking.lines) != self.outcomes:
            raise RankingError(_("La graduatoria ricalcolata non coincide con quella congelata."))
        return ranking


def freeze(ranking, **meta):
    return RankingSnapshot(ranking, **meta)


def committed_protocols(applications):
    """The protocols whose money is committed, from ``(protocol, state)`` pairs."""
    return frozenset(protocol for protocol, state in applications if state in HOLDS_FUNDING)


def carry_forward(previous, candidates, committed=frozenset()):
    """The candidates of a new version and the protocols that keep their funding.

    ``committed`` (protocols in ``HOLDS_FUNDING``) must all be among ``candidates``: a
    funded application left out would free money that is already spent. Funding kept
    from ``previous`` keeps the amount it was granted with.
    """
    present = {c.protocol for c in candidates}
    missing = sorted(set(committed) - present)
    if missing:
        raise RankingError(_("Domande finanziate, attive o concluse assenti dalla graduatoria: "
                             "${missing}: i loro fondi restano impegnati.",
                             mapping={"missing": ", ".join(missing)}))
    earlier = {}
    if previous is not None:
        funded = previous.funded_protocols()
        earlier = {c.protocol: c for c in previous.candidates() if c.protocol in funded}
    kept = frozenset(committed) | frozenset(p for p in earlier if p in present)
    merged = [earlier[c.protocol] if c.protocol in kept and c.protocol in earlier else c
              for c in candidates]
    return merged, kept


def rank(candidates, budget, rules=None, previous=None, committed=frozenset(), available=None):
    """The ranking of the next version (the first one if ``previous`` is None)."""
    if previous is not None:
        rules = RankingRules.from_data(previous.rules)
    merged, kept = carry_forward(previous, candidates, committed)
    return compute(merged, budget, rules, kept, available)


def next_version(previous, candidates, budget, *, created_at, created_by, reason,
                 call_version=None, committed=frozenset(), available=None):
    """Scorrimento: a new version keeping earlier funding and funding the next in line."""
    if not reason:
        raise RankingError(_("Indicare il motivo della nuova versione della graduatoria."))
    ranking = rank(candidates, budget, previous=previous, committed=committed,
                   available=available)
    return freeze(ranking, version=previous.version + 1, district=previous.district,
                  call_uid=previous.call_uid,
                  call_version=call_version or previous.call_version,
                  created_at=created_at, created_by=created_by, reason=reason,
                  previous_digest=previous.digest)


@dataclass(frozen=True)
class Change:
    protocol: str
    kind: str  # newly_funded | left | added | moved | unfunded
    old_position: int = None
    new_position: int = None
    message: str = ""


def changes(old, new):
    """What changed between two versions, for the ranking page (protocols only)."""
    old_pos = {p: i + 1 for i, (p, _, _) in enumerate(old.outcomes)}
    new_pos = {p: i + 1 for i, (p, _, _) in enumerate(new.outcomes)}
    old_out = {p: o for p, o, _ in old.outcomes}
    new_out = {p: o for p, o, _ in new.outcomes}
    found = []
    if old.budget != new.budget:
        found.append(Change("", "budget", message=(
            f"Budget dell'Ambito: da {euro(old.budget)} a {euro(new.budget)}.")))
    for protocol, position in old_pos.items():
        if protocol not in new_pos:
            found.append(Change(protocol, "left", position, None,
                                f"{protocol}: non è più in graduatoria (rinuncia o revoca)."))
    for protocol, position in new_pos.items():
        if protocol not in old_pos:
            found.append(Change(protocol, "added", None, position,
                                f"{protocol}: entra in graduatoria in posizione {position}."))
            continue
        if old_out[protocol] != new_out[protocol]:
            kind = "newly_funded" if new_out[protocol] == FUNDED else "unfunded"
            text = ("finanziata per scorrimento" if kind == "newly_funded"
                    else "non più finanziata")
            found.append(Change(protocol, kind, old_pos[protocol], position,
                                f"{protocol}: {text} (posizione {position})."))
        elif old_pos[protocol] != position:
            found.append(Change(protocol, "moved", old_pos[protocol], position,
                                f"{protocol}: dalla posizione {old_pos[protocol]} alla "
                                f"{position}."))
    return found
