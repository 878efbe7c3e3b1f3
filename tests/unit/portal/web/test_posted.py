"""``portal.web.posted`` and FormView's ``<button>_success``: POST bodies read once, on DummyRequest."""
import io

import colander
import deform
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyramid import testing
from webob.multidict import MultiDict

from portal.errors import ValidationFailed
from portal.web import posted
from portal.web.forms import FormView


class FieldStorage:
    """What WebOb gives for a file field: ``file`` and ``filename``."""

    def __init__(self, data, filename="a.pdf"):
        self.file, self.filename = io.BytesIO(data), filename


def request_with(*pairs):
    request = testing.DummyRequest(post=MultiDict(pairs))
    request.method = "POST"
    return request


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_text_is_stripped_and_cut_like_the_hand_parsing_it_replaced(value, limit):
    sent = posted.posted(request_with(("x", value)), posted.schema(posted.text("x", limit=limit)))
    assert sent["x"] == value.strip()[:limit]


@given(st.text())
def test_raw_text_is_kept_as_sent(value):
    sent = posted.posted(request_with(("x", value)),
                         posted.schema(posted.text("x", strip=False)))
    assert sent["x"] == value


def test_absent_fields_get_their_defaults_and_unknown_ones_are_ignored():
    mapping = posted.schema(posted.text("a"), posted.texts("b"), posted.upload())
    assert posted.posted(request_with(("other", "1")), mapping) == {"a": "", "b": [], "file": None}


def test_repeated_fields_keep_every_value_in_order_and_plain_ones_the_last():
    mapping = posted.schema(posted.texts("uid"), posted.text("code", upper=True))
    sent = posted.posted(request_with(("uid", "b"), ("uid", "a"), ("code", " x "),
                                      ("code", " ba-01 ")), mapping)
    assert sent == {"uid": ["b", "a"], "code": "BA-01"}


def test_a_file_is_passed_through_and_a_text_in_its_place_is_no_file():
    upload = FieldStorage(b"%PDF-1.4")
    mapping = posted.schema(posted.upload())
    assert posted.posted(request_with(("file", upload)), mapping)["file"] is upload
    assert posted.posted(request_with(("file", "not a file")), mapping)["file"] is None


def test_a_refused_value_is_a_400_naming_the_field():
    mapping = posted.schema(colander.SchemaNode(colander.Int(), name="n"))
    with pytest.raises(ValidationFailed) as refused:
        posted.posted(request_with(("n", "due")), mapping)
    assert refused.value.http_status == 400
    assert "n" in refused.value.fields


def test_the_version_token_is_read_as_sent():
    assert posted.version(request_with(("_version", " 3:ab "))) == " 3:ab "
    assert posted.version(request_with()) == ""


class TwoButtons(FormView):
    buttons = (deform.Button("approva"), deform.Button("respingi"))

    def make_schema(self):
        return posted.schema(posted.text("note"))

    def approva_success(self, appstruct):
        return ("approva", appstruct["note"])

    def success(self, appstruct):
        return ("success", appstruct["note"])


@pytest.fixture
def config():
    yield testing.setUp()
    testing.tearDown()


@pytest.mark.parametrize(("pressed", "handler"), [
    ("approva", "approva"),  # its own <button>_success
    ("respingi", "success"),  # a button without one: the general success
    (None, "success"),  # no button named (a script posting the fields): the general success
])
def test_each_button_has_its_success(config, pressed, handler):
    pairs = [("note", "ok")] + ([(pressed, pressed)] if pressed else [])
    request = request_with(*pairs)
    request.path_qs = "/x"
    assert TwoButtons(testing.DummyResource(), request)() == (handler, "ok")
