"""The queue's search box tells a protocol, a codice fiscale and a name apart."""
from portal.applications.rules.queue_search import (
    FISCAL_CODE_KIND,
    MAX_LENGTH,
    NAME_KIND,
    PROTOCOL_KIND,
    Search,
    classify,
)


def test_protocols_fiscal_codes_and_names():
    assert classify("2026/0000012") == Search(PROTOCOL_KIND, "2026/0000012")
    assert classify(" 2026 / 0000012 ").value == "2026/0000012"
    assert classify("cntlcu25h01a662r") == Search(FISCAL_CODE_KIND, "CNTLCU25H01A662R")
    assert classify("CNTLCU25H01A66NR").kind == FISCAL_CODE_KIND  # omocodia letters
    assert classify("Luca Conte") == Search(NAME_KIND, "Luca Conte")
    assert classify("2026/12").kind == NAME_KIND  # too few digits for a protocol
    assert classify("CNTLCU25H01A662").kind == NAME_KIND  # 15 characters
    assert classify("") is None
    assert classify("   ") is None
    assert len(classify("x" * 500).value) == MAX_LENGTH
