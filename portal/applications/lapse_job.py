"""The lapse job: applications the provider never matched lapse when their window closes.

Run nightly by ``portal-lapse`` and every hour by ``portal-serve``'s clock. It finds submitted
applications through the catalog, checks each one again on the object (state, match, deadline)
and fires the workflow's "lapse" as the system, one transaction per batch. Running it twice
changes nothing the second time.
"""
import sys
from collections import Counter

from pyramid.traversal import find_interface, find_resource, resource_path
from ZODB.POSException import ConflictError

import workflows
from catalog.api import get_catalog
from catalog.query import Eq, Query
from content_types.application import Application
from content_types.application_folder import CallApplicationFolder
from content_types.security import ADMIN, role
from content_types.values import format_date, format_when
from portal import mail
from portal.applications.rules import lapse
from portal.applications.rules.errors import BenefitError
from portal.db import AUDIT_KEY

PAGE = 500
BATCH = 100
ATTEMPTS = 5
#: who the audit log and the messages name as the actor
SYSTEM = "sistema"
#: the catalog entries of every application list the admin role among those who may view
SEARCH_AS = (role(ADMIN),)


def waiting_paths(root, registry):
    """Paths of every submitted application still waiting, oldest first (catalog, paged)."""
    catalog = get_catalog(root, registry)
    filters = (Eq("type_name", "Application"), Eq("state", lapse.WAITING))
    paths, start = [], 0
    while True:
        results = catalog.search(Query(filters=filters, sort="created", start=start,
                                       limit=PAGE, snippets=False), SEARCH_AS)
        paths.extend(hit.path for hit in results.items)
        start += len(results.items)
        if not results.items or start >= results.total:
            return paths


class Calls:
    """The call an application was submitted under (by uid), else its folder's call."""

    def __init__(self, root, registry):
        self.root = root
        self.registry = registry
        self.paths = None

    def path_of(self, uid):
        # calls are few: one paged listing maps them all
        if self.paths is None:
            self.paths = {}
            catalog = get_catalog(self.root, self.registry)
            start = 0
            while True:
                results = catalog.search(
                    Query(filters=(Eq("type_name", "Call"),), start=start, limit=PAGE,
                          snippets=False), SEARCH_AS)
                self.paths.update((hit.uid, hit.path) for hit in results.items)
                start += len(results.items)
                if not results.items or start >= results.total:
                    break
        return self.paths.get(uid)

    def of(self, application):
        for path in (self.path_of(application.call_uid) if application.call_uid else None,
                     getattr(find_interface(application, CallApplicationFolder),
                             "call_path", None)):
            found = resolve(self.root, path)
            if getattr(found, "type_name", None) == "Call":
                return found
        return None


def resolve(root, path):
    if not path:
        return None
    try:
        return find_resource(root, path)
    except (KeyError, ValueError):
        return None


class Run:
    """One pass: what lapsed (or would), per ATS, and what was skipped and why."""

    def __init__(self, root, registry, now, listing, out=print, err=None):
        self.root, self.registry, self.now, self.listing = root, registry, now, listing
        self.out = out
        # T201: by default the console script's stderr
        self.err = err or (lambda text: print(text, file=sys.stderr))  # noqa: T201
        self.calls = Calls(root, registry)
        self.mailer = mail.get_mailer(registry)
        self.lapsed = Counter()
        self.examined = 0
        self.warnings = []

    def fire(self, obj, name, comment=""):
        return workflows.fire(obj, None, name, comment, registry=self.registry)

    def batch(self, paths, txn):
        """Check (and unless listing, lapse) the applications at ``paths``: (due, warnings)."""
        done, warnings = [], []
        for path in paths:
            application = resolve(self.root, path)
            if not isinstance(application, Application):
                continue
            call = self.calls.of(application)
            if call is None:
                warnings.append(f"Attenzione: avviso non trovato per la domanda "
                                f"{application.protocol} ({path}): saltata.")
                continue
            try:
                due = lapse.lapsable(application, call, self.now)
            except BenefitError as exc:
                warnings.append(f"Attenzione: domanda {application.protocol} ({path}) "
                                f"saltata: {exc.message}")
                continue
            if not due:
                continue
            if not self.listing:
                lapse.lapse(application, call, now=self.now, fire=self.fire)
                self.record(application, call, txn)
            done.append((application.district_code or "—", application.protocol, path,
                         format_date(lapse.last_day(application, call))))
        return done, warnings

    def record(self, application, call, txn):
        """Audit entry in the same transaction; the e-mail leaves after commit."""
        audit_log = self.root._p_jar.root().get(AUDIT_KEY)
        if audit_log is not None:
            audit_log.append(SYSTEM, "decadenza domanda", resource_path(application),
                             application.uid,
                             {"protocollo": application.protocol,
                              "termine": lapse.match_deadline(application, call).isoformat(),
                              "ora": self.now.isoformat()})
        to, subject, body = lapse.lapse_mail(application, call)
        if to:
            mail.queue(application, self.registry, to, subject, body,
                       key=f"decadenza:{application.uid}", txn=txn)

    def run(self, paths, tm, size=BATCH):
        self.examined = len(paths)
        for start in range(0, len(paths), size):
            chunk = paths[start:start + size]
            for attempt in range(ATTEMPTS):
                txn = tm.begin()
                try:
                    done, warnings = self.batch(chunk, txn)
                    if self.listing:
                        tm.abort()
                    else:
                        tm.commit()
                    break
                except ConflictError:
                    # the web application changed one of them: check the batch again
                    tm.abort()
                    if attempt == ATTEMPTS - 1:
                        raise
            verb = "decadrebbe" if self.listing else "decaduta"
            for district, protocol, path, day in done:
                self.lapsed[district] += 1
                self.out(f"  {verb}: Ambito {district}, protocollo {protocol}, ultimo giorno "
                         f"utile {day}, {path}")
            for text in warnings:
                self.err(text)
            self.warnings += warnings
        return self

    def summary(self):
        total = sum(self.lapsed.values())
        lines = [(f"Domande inviate in attesa di abbinamento esaminate: {self.examined} "
                 f"(riferimento: {format_when(self.now)}, ora italiana).")]
        if self.listing:
            lines.append(f"Domande che decadrebbero: {total} (elenco: nessuna modifica "
                         "salvata).")
        else:
            lines.append(f"Domande decadute: {total}." if total
                         else "Nessuna domanda decaduta.")
        lines += [f"  Ambito {code}: {count}" for code, count in sorted(self.lapsed.items())]
        if self.warnings:
            lines.append(f"Domande saltate per errori: {len(self.warnings)} (vedere sopra).")
        return lines
