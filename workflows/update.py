"""Re-apply workflow permission maps to stored objects after a definition changed.

``portal-workflow-update CONFIG.ini`` runs ``update_all`` in one transaction;
it refuses (and changes nothing) while objects sit in states that vanished.
"""
import sys

import transaction
from pyramid.paster import bootstrap, setup_logging
from pyramid.traversal import resource_path

from workflows.errors import StatesMissing
from workflows.registry import workflow_for


def walk(root):
    """``root`` and everything below it, parents before children."""
    stack = [root]
    while stack:
        obj = stack.pop()
        yield obj
        values = getattr(obj, "values", None)
        if callable(values):
            stack.extend(reversed(list(values())))


def check_states(root, registry):
    """(object, workflow) pairs to update, and (path, workflow, state) of lost states."""
    todo, problems = [], []
    for obj in walk(root):
        workflow = workflow_for(registry, obj)
        if workflow is None:
            continue
        state = getattr(obj, "state", None)
        if state is not None and workflow.state(state) is None:
            problems.append((resource_path(obj), workflow.name, state))
        todo.append((obj, workflow))
    return todo, problems


def refusal_message(problems):
    lines = [
        ("Aggiornamento annullato, nessuna modifica effettuata: questi elementi sono in "
        "uno stato che il loro flusso di lavoro non prevede più.")
    ]
    lines += [f"- {path} (flusso «{wf}», stato «{state}»)" for path, wf, state in problems]
    lines.append("Spostarli in uno stato esistente (passo di evoluzione) e riprovare.")
    return "\n".join(lines)


def update_all(root, registry, progress=None):
    """Recompute every workflow-governed ACL; returns counts of what changed.

    Objects of a workflow type that have no state yet (the type gained its
    workflow later) are put in the initial state.
    """
    todo, problems = check_states(root, registry)
    if problems:
        raise StatesMissing(refusal_message(problems), problems)
    total = len(todo)
    counts = {"objects": total, "acl_changed": 0, "initialized": 0}
    if progress is not None:
        progress(0, total)
    for done, (obj, workflow) in enumerate(todo, 1):
        if obj.state is None:
            workflow.initialize(obj, registry=registry)
            counts["initialized"] += 1
        elif workflow.apply_acl(obj, registry=registry):
            counts["acl_changed"] += 1
        if progress is not None:
            progress(done, total)
    return counts


def progress_bar(stream, width=40):
    """A ``progress(done, total)`` callback drawing a text bar on ``stream``."""

    def progress(done, total):
        filled = width if total == 0 else width * done // total
        percent = 100 if total == 0 else 100 * done // total
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {percent:3d}%")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return progress


def main(argv=None, stdout=None, stderr=None):
    """Console script: ``portal-workflow-update CONFIG.ini``."""
    argv = sys.argv[1:] if argv is None else list(argv)
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        stderr.write("uso: portal-workflow-update CONFIG.ini\n")
        return 2
    config_uri = argv[0]
    setup_logging(config_uri)
    env = bootstrap(config_uri)
    try:
        request = env["request"]
        # pyramid_tm's manager is explicit: the connection joins once we begin
        tm = getattr(request, "tm", None) or transaction.manager
        tm.begin()
        try:
            counts = update_all(env["root"], env["registry"], progress_bar(stderr))
        except StatesMissing as exc:
            tm.abort()
            stderr.write(f"{exc.message}\n")
            return 1
        except BaseException:
            tm.abort()
            raise
        tm.commit()
        stdout.write(
            f"Elementi con flusso di lavoro: {counts['objects']}; permessi aggiornati: "
            f"{counts['acl_changed']}; messi nello stato iniziale: {counts['initialized']}.\n"
        )
        return 0
    finally:
        env["closer"]()

