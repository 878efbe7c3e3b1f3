"""An SVG diagram of a workflow, drawn by Graphviz from the definition itself."""
import shutil
import subprocess

from content_types.i18n import _
from workflows.errors import DiagramUnavailable

DOT_TIMEOUT = 30  # seconds; dot is fast, a hang must not hold a worker


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(workflow):
    """The Graphviz source: states as boxes, transitions as labelled arrows."""
    lines = [
        f"digraph {_quote(workflow.name)} {{",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded", fontname="DejaVu Sans"];',
        '  edge [fontname="DejaVu Sans", fontsize=10];',
        f"  label={_quote(workflow.title_it)}; labelloc=t;",
        '  "__start__" [shape=point, width=0.2, label=""];',
    ]
    outgoing = {t_from for t in workflow.transitions for t_from in t.from_states}
    for state in workflow.states:
        attrs = [f"label={_quote(state.title_it)}", f"id={_quote('state-' + state.name)}"]
        if state.name == workflow.initial_state:
            attrs.append('style="rounded,bold"')
        if state.name not in outgoing:
            attrs.append("peripheries=2")  # a final state
        lines.append(f"  {_quote(state.name)} [{', '.join(attrs)}];")
    lines.append(f'  "__start__" -> {_quote(workflow.initial_state)} [label="inizio"];')
    for tr in workflow.transitions:
        label = tr.title_it + (" (con motivazione)" if tr.comment_required else "")
        for source in tr.from_states:
            lines.append(
                f"  {_quote(source)} -> {_quote(tr.to_state)} "
                f"[label={_quote(label)}, id={_quote(f'transition-{tr.name}-{source}')}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(workflow, dot_binary="dot"):
    """SVG text of the workflow diagram; ``DiagramUnavailable`` if Graphviz can't draw it."""
    executable = shutil.which(dot_binary)
    if executable is None:
        raise DiagramUnavailable(
            _("Impossibile disegnare il diagramma: il programma «dot» di Graphviz non è installato "
              "(pacchetto Debian «graphviz»).")
        )
    try:
        result = subprocess.run(  # noqa: S603 - Graphviz found by which(), fixed arguments
            [executable, "-Tsvg"], input=to_dot(workflow).encode("utf-8"),
            capture_output=True, timeout=DOT_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        raise DiagramUnavailable(
            _("Impossibile disegnare il diagramma: Graphviz non ha risposto in tempo.")
        ) from None
    if result.returncode != 0:
        raise DiagramUnavailable(
            _("Impossibile disegnare il diagramma: Graphviz ha segnalato un errore (${detail}).",
              mapping={"detail": result.stderr.decode("utf-8", "replace").strip()[:200]})
        )
    return result.stdout.decode("utf-8")
