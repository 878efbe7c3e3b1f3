"""Checkboxes and radios in Bootstrap Italia 2's markup: the input first, then its own label.

Bootstrap Italia hides the real input and draws the box on the label that follows it
(``.form-check [type=checkbox] + label::after``): a label before the input draws nothing.
"""
import colander
import deform
import pytest
from bs4 import BeautifulSoup
from deform.template import ZPTRendererFactory


@pytest.fixture
def renderer(pyramid_config):
    """The search path the portal configures: our overrides first, then deform's."""
    return ZPTRendererFactory(("portal:templates/deform", "deform:templates"))


class Choices(colander.Schema):
    full_time = colander.SchemaNode(colander.Boolean(), title="Tempo pieno", missing=True)
    kind = colander.SchemaNode(
        colander.String(), title="Modalità",
        widget=deform.widget.RadioChoiceWidget(values=[("a", "Mattina"), ("b", "Pomeriggio")]))
    days = colander.SchemaNode(
        colander.Set(), title="Giorni",
        widget=deform.widget.CheckboxChoiceWidget(values=[("lun", "Lunedì"), ("mar", "Martedì")]))


def rendered(renderer, **values):
    form = deform.Form(Choices(), buttons=("salva",), renderer=renderer)
    if values:
        with pytest.raises(deform.ValidationFailure) as failure:
            form.validate(list(values.items()))
        return BeautifulSoup(failure.value.render(), "html.parser")
    return BeautifulSoup(form.render(), "html.parser")


def test_every_box_comes_before_its_own_label(renderer):
    page = rendered(renderer)
    boxes = page.select("input[type=checkbox], input[type=radio]")
    assert len(boxes) == 5
    for box in boxes:
        label = box.find_next_sibling()
        assert label.name == "label", box
        assert label["for"] == box["id"]
        assert "form-check-label" in label["class"]
        assert label.get_text(strip=True)
        assert "form-check" in box.parent["class"]
        assert box.parent.find(["input", "label"]) is box
        # no other label points at the box from before it
        assert len(page.find_all("label", attrs={"for": box["id"]})) == 1


def test_groups_are_fieldsets_with_a_legend_and_marked_required(renderer):
    page = rendered(renderer)
    legends = [f.legend.get_text(" ", strip=True) for f in page.select("fieldset.portal-choices")]
    assert legends == ["Modalità *", "Giorni *"]
    assert not page.find_all(attrs={"required": True})
    assert page.select_one("input[type=radio]")["aria-required"] == "true"
    assert page.find("form").has_attr("novalidate")


def test_error_summary_links_to_the_first_choice_of_a_group(renderer):
    page = rendered(renderer, full_time="true")
    summary = page.select_one(".deform-form-errors")
    targets = [a["href"][1:] for a in summary.select("a")]
    assert len(targets) == 2
    for target in targets:
        assert page.find(id=target).name == "input"
