"""Diagrams are drawn by Graphviz from the definition."""
import xml.etree.ElementTree as ET

import pytest

import workflows
from tests.unit.workflows.support import sample_workflow
from workflows import DiagramUnavailable, diagram
from workflows.diagram import render_svg, to_dot


def svg_texts(svg):
    root = ET.fromstring(svg)  # noqa: S314 - Graphviz output of our own definitions
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return {"".join(el.itertext()).strip() for el in root.iter()}


@pytest.mark.parametrize("workflow", workflows.shipped_workflows(), ids=lambda w: w.name)
def test_svg_shows_every_state_and_transition(workflow):
    texts = svg_texts(render_svg(workflow))
    for state in workflow.states:
        assert state.title_it in texts
    for tr in workflow.transitions:
        label = tr.title_it + (" (con motivazione)" if tr.comment_required else "")
        assert label in texts


def test_initial_state_is_marked_and_quotes_are_escaped():
    wf = sample_workflow()
    object.__setattr__(wf.states[0], "title_it", 'Bozza "iniziale" \\ prova')
    dot = to_dot(wf)
    assert '"__start__" -> "draft"' in dot
    assert 'style="rounded,bold"' in dot
    texts = svg_texts(render_svg(wf))
    assert 'Bozza "iniziale" \\ prova' in texts
    assert "inizio" in texts


def test_missing_graphviz_is_a_clear_error():
    with pytest.raises(DiagramUnavailable) as info:
        render_svg(sample_workflow(), dot_binary="no-such-dot-binary")
    assert "graphviz" in str(info.value.message).lower()
    assert info.value.code == "diagram_unavailable"


def test_graphviz_failure_is_reported(tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(DiagramUnavailable, match="broken"):
        render_svg(sample_workflow(), dot_binary=str(fake))


def test_graphviz_timeout_is_reported(tmp_path, monkeypatch):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nsleep 5\n")
    fake.chmod(0o755)
    monkeypatch.setattr(diagram, "DOT_TIMEOUT", 0.2)
    with pytest.raises(DiagramUnavailable, match="in tempo"):
        render_svg(sample_workflow(), dot_binary=str(fake))
