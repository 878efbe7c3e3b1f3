"""Rankings as a service: candidates from an ATS's applications, the ranking a version would
have, frozen snapshots (the pure arithmetic is ``rules.ranking``; the pages are ``views.rankings``)."""

from pyramid.traversal import find_root, resource_path

import workflows.application as application_workflow
from content_types.ranking import CallRankingFolder, RankingFolder
from content_types.values import to_decimal
from portal.applications import services
from portal.applications.rules import ranking as ranking_rules
from portal.applications.rules.errors import RankingError
from portal.documents import layouts
from portal.i18n import _
from portal.payments.ledger import ledger_of
from portal.payments.rules.ledger import Totals

RANKING_KIND = "graduatoria"
#: states whose applications enter the ranking (funded, active and concluded ones included:
#: they keep their money in every version)
RANKED = application_workflow.RANKED


def candidate(application):
    return ranking_rules.Candidate(
        protocol=application.protocol, isee=to_decimal(application.isee["value"]),
        submitted_at=application.submitted_at, monthly_voucher=application.voucher_monthly,
        months=int(application.months), priority=application.priority,
        priorities=application.priorities)


def ranked_applications(district, call_code):
    return [a for a in services.applications(district, call_code) if a.state in RANKED
            and a.voucher_monthly is not None]


def committed(district, call_code):
    """Protocols of the applications whose money is committed (funded, active, concluded)."""
    return ranking_rules.committed_protocols(
        (a.protocol, a.state) for a in services.applications(district, call_code))


def series_of(district, call_code, call=None):
    """The call series the ATS's money for ``call_code`` is booked under in the ledger."""
    folder = district["domande"][call_code]
    series = getattr(folder, "call_series", None)
    if series:
        return series
    call = call if call is not None else services.call_of(folder)
    return call.series or call.uid


def figures(district, call_code, call=None):
    """The ledger's budget, committed, paid and remaining of one ATS for a call."""
    ledger = ledger_of(district, create=False)  # a page reading figures writes nothing
    return ledger.totals(series_of(district, call_code, call)) if ledger else Totals()


def committed_amount(district, call_code):
    """The money committed in this ATS for a call (the ledger's): no budget may go below it."""
    return figures(district, call_code).committed


def rank(district, call, call_code, previous=None):
    """The ranking a new version would have now (``previous``: the last published snapshot)."""
    candidates = [candidate(a) for a in ranked_applications(district, call_code)]
    money = figures(district, call_code, call)
    return ranking_rules.rank(candidates, money.budget,
                              ranking_rules.RankingRules.from_data(call.ranking), previous,
                              committed(district, call_code), available=money.remaining)


def call_folder(district, call_code, registry):
    """``graduatorie/<call>``, created on first use."""
    folders = district.get("graduatorie")
    if folders is None:
        folders = RankingFolder(title="Graduatorie", creator="sistema")
        district.add("graduatorie", folders, registry=registry)
    folder = folders.get(call_code)
    if folder is None:
        applications = district["domande"][call_code]
        folder = CallRankingFolder(title=applications.title, creator="sistema",
                                   call_uid=applications.call_uid,
                                   call_path=applications.call_path,
                                   district_code=district.code)
        folders.add(call_code, folder, registry=registry)
    return folder


def compute(district, call, call_code, previous=None, reason="", who=None, when=None):
    """A frozen snapshot: the first version, or a scorrimento after ``previous``.

    What it may newly fund is exactly the ledger's remaining for the call; applications
    holding funding keep it (their commitment is already out of the remaining).
    """
    candidates = [candidate(a) for a in ranked_applications(district, call_code)]
    money = figures(district, call_code, call)
    when = when or services.now()
    if previous is None:
        result = ranking_rules.rank(candidates, money.budget,
                                    ranking_rules.RankingRules.from_data(call.ranking),
                                    committed=committed(district, call_code),
                                    available=money.remaining)
        return ranking_rules.freeze(result, version=1, district=district.code,
                                    call_uid=call.uid, call_version=call.version,
                                    created_at=when, created_by=who)
    return ranking_rules.next_version(previous, candidates, money.budget, created_at=when,
                                      created_by=who, reason=reason,
                                      call_version=call.version,
                                      committed=committed(district, call_code),
                                      available=money.remaining)


def line_transition(application, line):
    """The transition publishing moves ``application`` by (None: it keeps its state)."""
    if application.state == application_workflow.ELIGIBLE:
        return application_workflow.FUND if line.funded else application_workflow.ADMIT_UNFUNDED
    if application.state == application_workflow.ADMITTED_UNFUNDED and line.funded:
        return application_workflow.SCROLL
    return None


def publish(district, version, act, *, who, when, fire, service, documents):
    """Move each application to its outcome, sign the public PDF, mark ``version`` published.

    ``fire(obj, name, comment)``: the transition as the publisher (the page passes its
    request; the demo a trusted call). Returns the signed PDF's record.
    """
    call_code = version.__parent__.__name__
    call = services.resolve_path(find_root(district), version.__parent__.call_path)
    ranking = version.snapshot.ranking()
    by_protocol = {a.protocol: a for a in services.applications(district, call_code)}
    for line in ranking.lines:
        if line.protocol not in by_protocol:
            raise RankingError(_("La domanda ${protocol} non è più presente.",
                                 mapping={"protocol": line.protocol}))
    for line in ranking.lines:
        application = by_protocol[line.protocol]
        name = line_transition(application, line)
        # the outcome first: the funding transitions follow a published ranking (their guard)
        application.ranking_outcome = {"version": version.version, "position": line.position,
                                       "outcome": line.outcome,
                                       "ranking_path": resource_path(version)}
        if name:
            fire(application, name, f"Graduatoria versione {version.version} ({act}).")
        application.touch()
    notes = "Graduatoria pubblicata con i soli numeri di protocollo (dati personali omessi)."
    if version.changes:
        notes += " Variazioni rispetto alla versione precedente: " + " ".join(version.changes)
    record = service.issue(
        documents, layouts.ranking,
        {"call_title": call.title, "district": f"{district.code} — {district.title}",
         "approved_at": when.date(), "act_reference": act,
         # the published PDF is public: protocol, position, outcome, never the ISEE
         "rows": [{k: v for k, v in row.items() if k != "isee"}
                  for row in ranking.public_rows()], "notes": notes},
        kind=RANKING_KIND, title=version.title, object_uid=version.uid,
        object_path=resource_path(version), date=when)
    version.mark_published(who, when, act, record.doc_id)
    return record
