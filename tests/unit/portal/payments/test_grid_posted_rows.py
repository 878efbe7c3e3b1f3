"""The grid's posted rows: each row's inputs read by uid, a repeated field's last value (as webob)."""
from pyramid.testing import DummyRequest
from webob.multidict import MultiDict

from portal.payments.views.grid import INPUTS, posted_rows


def test_rows_are_read_by_uid_in_order_with_missing_inputs_empty():
    fields = [("riga", "b"), ("riga", "a"), ("b.presenze", "18"), ("a.presenze", "20"),
              ("a.giorni_apertura", "21"), ("a.presenze", "19"), ("csrf_token", "t")]
    rows = posted_rows(DummyRequest(post=MultiDict(fields)))
    assert [r["uid"] for r in rows] == ["b", "a"]
    assert rows[0]["attended_days"] == "18"
    assert rows[0]["open_days"] == ""
    # a field sent twice: the last one, as MultiDict.get gives it
    assert rows[1]["attended_days"] == "19"
    assert rows[1]["open_days"] == "21"
    assert all(set(r) == {"uid", *(name for name, _ in INPUTS)} for r in rows)
