"""What the Region sets and pre-fills for every ATS's plan: its settings, and the national and
regional transfers written on each ATS's editable version of a period (a plan is created
where an ATS has none; a plan sent, under review or approved is never overwritten).

Transaction-aware, never request-aware: views pass who acts and the registry.
"""
from typing import NamedTuple

from pyramid.traversal import find_root

from content_types.security import ATS_OFFICER, USER_PREFIX
from content_types.values import ZERO, euro, utcnow
from portal.i18n import _
from portal.notifications import rules as note_rules
from portal.notifications import service as notes
from portal.payments.spending import districts
from portal.plans import store
from portal.plans.rules import model, transfers
from workflows import zone_plan as workflow

#: who creates the plans the pre-fill opens (no person: the Region's action)
SYSTEM = "sistema"
CREATE, UPDATE, SKIP = "crea", "aggiorna", "salta"
#: why a version in each state is not written
SKIP_REASONS = {
    workflow.SUBMITTED: _("Il piano è stato inviato alla Regione: i trasferimenti non si "
                          "sovrascrivono (si aggiornano se il piano viene restituito)."),
    workflow.UNDER_REVIEW: _("Il piano è all'esame della Regione: i trasferimenti non si "
                             "sovrascrivono (si aggiornano se il piano viene restituito)."),
    workflow.APPROVED: _("Il piano è approvato e non si modifica più: i nuovi trasferimenti "
                         "entreranno in una nuova versione."),
}
NOTE_KIND = note_rules.PLAN_TRANSFERS


# -- settings ----------------------------------------------------------------------------
def save_settings(region, minimum, threshold):
    """The minimum co-financing (€/inhabitant/year) and the FNPS threshold (%), None: unset."""
    region.plan_min_cofinancing = minimum
    region.plan_fnps_threshold = threshold
    region.touch()


# -- transfers ---------------------------------------------------------------------------
def transfer_sources():
    """The national and regional sources of a new plan: what the Region pre-fills."""
    return tuple(s for s in store.DEFAULT_SOURCES if s["kind"] in model.TRANSFER_KINDS)


def transfer_codes():
    return tuple(s["code"] for s in transfer_sources())


def inhabitants_of(district):
    """The ATS's inhabitants: the sum of its municipalities'."""
    return sum(m.inhabitants for m in store.municipalities_of(district))


class Target(NamedTuple):
    """One ATS in the pre-fill: what it gets and what happens to its plan."""

    district: object
    inhabitants: int
    amounts: dict  # {(source, year): Decimal}
    action: str  # CREATE | UPDATE | SKIP
    version: int = 0  # the version written (or skipped)
    reason: object = None  # why skipped
    #: transfer sources the ATS removed from its plan: they are not written
    missing: tuple = ()

    @property
    def total(self):
        return sum(self.amounts.values(), ZERO)


def split_by_inhabitants(root, totals):
    """{ats code: {(source, year): Decimal}}: each regional total split by inhabitants."""
    weights = {d.code: inhabitants_of(d) for d in districts(root)}
    return transfers.spread(totals, weights)


def plan_for(district, period):
    folder = store.folder_of(district)
    return folder.get(period) if folder is not None else None


def targets(root, period, amounts):
    """The ATS ``amounts`` names ({ats code: {(source, year): Decimal}}) and what the pre-fill
    does to each, by code."""
    store.parse_period(period)
    found = []
    for district in districts(root):
        given = amounts.get(district.code)
        if given is None:
            continue
        plan = plan_for(district, period)
        last = store.latest(plan) if plan is not None else None
        people = inhabitants_of(district)
        if last is None:
            found.append(Target(district, people, given, CREATE, 1))
        elif last.state in store.EDITABLE_STATES:
            held = {s["code"] for s in last.sources}
            missing = tuple(sorted({code for code, _y in given} - held))
            found.append(Target(district, people, given, UPDATE, last.number,
                                missing=missing))
        else:
            found.append(Target(district, people, given, SKIP, last.number,
                                SKIP_REASONS.get(last.state)))
    return found


def prefill(root, period, amounts, *, who, registry=None):
    """Write the transfers on every ATS's editable latest version of ``period`` (a plan is
    created where there is none); returns the targets, the skipped ones untouched."""
    found = targets(root, period, amounts)
    for target in found:
        if target.action == SKIP:
            continue
        district = target.district
        plan = plan_for(district, period)
        if plan is None:
            plan = store.create_plan(district, period, who=SYSTEM, registry=registry)
        store.set_transfers(store.latest(plan), target.amounts, who=who)
        notify(district, period, target, registry)
    return found


# -- telling the ATS ---------------------------------------------------------------------
def officers_of(district):
    """The logins holding the ATS officer's role on ``district``."""
    roles = getattr(district, "__local_roles__", None) or {}
    return tuple(sorted(p.removeprefix(USER_PREFIX) for p, granted in roles.items()
                        if ATS_OFFICER in granted and p.startswith(USER_PREFIX)))


def transfer_notes(district, period, target):
    mapping = {"period": period, "total": euro(target.total), "version": target.version}
    return [note_rules.Note(
        recipient=login, kind=NOTE_KIND,
        key=f"trasferimenti:{district.code}:{period}:{target.version}:{target.total}",
        title=_("Trasferimenti statali e regionali del piano ${period}", mapping=mapping),
        body=_("La Regione ha precompilato i trasferimenti statali e regionali del piano di "
               "zona ${period} (versione ${version}): ${total} in tutto. Gli importi sono "
               "nella sezione delle fonti.", mapping=mapping),
        target_view="piani") for login in officers_of(district)]


def notify(district, period, target, registry):
    """The ATS's officers are told in their inbox (and by e-mail after the commit)."""
    if registry is None or district._p_jar is None:
        return []
    txn = district._p_jar.transaction_manager.get()
    root = find_root(district)
    now = utcnow()
    stored = []
    for note in transfer_notes(district, period, target):
        done = notes.deliver(note, anchor=district, registry=registry, now=now, txn=txn,
                             to=notes.email_of(root, note.recipient))
        if done is not None:
            stored.append(done)
    return stored
