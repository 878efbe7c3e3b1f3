"""Numbered evolve steps: schema changes to persistent data, recorded in the DB.

Each step is a module ``stepNNNN_<what>.py`` with ``def evolve(zodb_root, portal)``
(or ``def evolve(zodb_root, portal, registry)`` for a step that needs the app's
services, e.g. the catalog) and a docstring. ``portal.db_version`` is the last step applied; ``portal-evolve``
runs the pending ones in order, each in its own transaction.
"""
import importlib
import inspect
import pkgutil
import re

_STEP = re.compile(r"^step(\d{4})_\w+$")


def steps():
    """``[(number, module), ...]`` sorted by number."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = _STEP.match(info.name)
        if match:
            found.append((int(match.group(1)), importlib.import_module(f"{__name__}.{info.name}")))
    found.sort(key=lambda pair: pair[0])
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"evolve steps must be numbered 1..n without gaps: {numbers}")
    return found


def latest_version():
    found = steps()
    return found[-1][0] if found else 0


def pending(portal):
    return [(n, mod) for n, mod in steps() if n > portal.db_version]


def apply(module, zodb_root, portal, registry):
    """Run one step, giving it the registry if it asks for one."""
    if "registry" in inspect.signature(module.evolve).parameters:
        module.evolve(zodb_root, portal, registry)
    else:
        module.evolve(zodb_root, portal)


def run_pending(zodb_root, portal, registry, commit, log=print):
    """Apply pending steps with ``registry``'s services; ``commit`` is called after each one."""
    done = []
    for number, module in pending(portal):
        apply(module, zodb_root, portal, registry)
        portal.db_version = number
        commit(f"evolve step {number}")
        log(f"Passo {number} applicato: {(module.__doc__ or '').strip()}")
        done.append(number)
    return done
