"""Version numbers typed in the comparison's address: digits only, whatever Python calls a digit."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.plans.comparison import BadComparison, number_of


# "\u00b2" and "\u0661" (superscript two, Arabic-Indic one) are digits to str.isdigit
@pytest.mark.parametrize("text", ["", " ", "uno", "0", "-1", "1.0", "1e3", "\u00b2", "\u0661",
                                  "1 2", "9" * 7])
def test_what_is_not_a_version_number_is_a_400(text):
    with pytest.raises(BadComparison) as caught:
        number_of(text, "a")
    assert caught.value.http_status == 400
    assert caught.value.fields == {"a": "non valido"}


@given(st.integers(min_value=1, max_value=999_999))
def test_a_version_number_reads_back(number):
    assert number_of(f" {number} ", "da") == number


@given(st.text(max_size=12))
def test_any_text_is_a_number_or_a_400(text):
    try:
        found = number_of(text, "da")
    except BadComparison:
        return
    assert found >= 1
    assert str(found) == text.strip().lstrip("0")
