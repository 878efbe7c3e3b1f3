"""The portal application: ``main()`` reads like a table of contents."""
import os
import sys

from pyramid.config import Configurator

from portal.db import documents_registry, ensure_root, get_database, include_zodb, pending_steps, root_factory
from portal.errors import DatabaseLocked

STATIC_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static")

DEFAULTS = {
    "retry.attempts": "3",
    "pyramid.default_locale_name": "it",
    "portal.static_dir": STATIC_DIR,
    "tm.manager_hook": "pyramid_tm.explicit_manager",
    # a body over the size limit is refused, not first copied for replays
    "retry.activate_hook": "portal.request_checks.retry_attempts",
}


def make_config(settings):
    settings = {**DEFAULTS, **settings}
    config = Configurator(settings=settings, root_factory=root_factory)
    config.include("pyramid_chameleon")
    # retry wraps the whole request, so the transaction below it can be replayed
    config.include("pyramid_retry")
    config.include("pyramid_tm")
    config.include("portal.request_checks")  # malformed requests: 400/413 before any view
    config.include("portal.write_lock")  # unsafe requests of a process write one at a time
    include_zodb(config)
    config.include("portal.jobs")  # before the features that register job kinds
    config.include("content_types")
    config.include("workflows")  # after content_types: it reads type infos
    config.include("catalog")
    config.include("portal.web.search")  # before portal.web.api: /api/search precedes /api/*traverse
    config.include("portal.security")
    config.include("portal.web")
    config.add_translation_dirs("portal:locale")  # Italian msgids; other languages optional
    config.include("portal.providers")  # after portal.web: its /catalogo page wins
    config.include("portal.applications")  # calls, applications, review, rankings
    config.include("portal.payments")  # ledger, attestations, payment acts, fund dashboard
    config.include("portal.plans")  # zone plans, their archive, the Region's plan dashboard
    config.include("portal.people")  # the social registry: people, households, front desk
    config.include("portal.cases")  # case files, taking charge, PAI (after portal.people)
    config.include("portal.register")  # every benefit, the duplicate check, SIUSS, the map
    config.include("portal.editorial")  # pages, news, service pages of the Region and the ATS
    config.include("portal.home")  # the home page and the personal area (after the features)
    config.include("portal.documents")
    config.include("portal.mail")  # the Mailer utility, request.mailer, the «mail» job
    config.include("portal.notifications")  # inbox and e-mails (mail jobs) of workflow changes
    config.include("portal.web.documents")  # before portal.web.api: /api/verify is a route
    # the portal keeps issued documents beside the tree (overrides portal.documents' own)
    config.add_request_method(documents_registry, "documents_registry", reify=True)
    config.include("portal.web.api")
    config.include("portal.audit")
    # optional add-ons (and test-only content types) named in the .ini
    for name in settings.get("portal.includes", "").split():
        config.include(name)
    return config


def main(global_config=None, **settings):
    """The WSGI application; a locked database gives a message, not a traceback."""
    try:
        config = make_config(settings)
    except DatabaseLocked as exc:
        sys.exit(f"Errore: {exc.message}")
    config.commit()
    db = get_database(config.registry)
    ensure_root(db, config.registry)
    steps = pending_steps(db)
    if steps:
        db.close()
        sys.exit(
            "Il database richiede l'aggiornamento dei dati (passi "
            f"{', '.join(map(str, steps))}): eseguire «portal-evolve FILE.ini»."
        )
    return config.make_wsgi_app()
