"""The page form's reading of numbers and dates (pure; no server, no browser)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from maatwerk.engine.model import dutch
from maatwerk.web.pages import forms


@given(st.decimals(min_value=0, max_value=999_999, places=2, allow_nan=False))
def test_a_number_written_the_dutch_way_reads_back(value):
    shown = dutch.number(float(value), 2)             # '1.234,50'
    assert forms.number(shown) == pytest.approx(float(value))
    assert forms.number(shown.replace(".", "")) == pytest.approx(float(value))   # '1234,50'
    assert forms.number(f"{float(value):.2f}") == pytest.approx(float(value))     # '1234.50'


@pytest.mark.parametrize("text", ["drie", "3,5,5", "1e5", "", "3,", "--3", "nan", "inf"])
def test_what_is_no_number_is_refused(text):
    with pytest.raises(ValueError):
        forms.number(text)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_date_reads_as_iso_and_as_day_month_year(day):
    assert forms.date(day.isoformat()) == day.isoformat()
    assert forms.date(f"{day.day}-{day.month}-{day.year}") == day.isoformat()


def test_an_impossible_date_is_named_next_to_its_field():
    parsed = forms.parse({"procedure.aanvraag": "2026-02-30", "voorzieningen.1.volume": "3,5",
                          "voorzieningen.1.productcategorie": "01", "huishouden.personen": "2,5"})
    assert parsed.fouten == {
        "procedure.aanvraag": "Deze datum bestaat niet. Kijk de dag en de maand na.",
        "huishouden.personen": "Vul een heel getal in, bijvoorbeeld 2."}
    assert parsed.data["voorzieningen"] == [{"productcategorie": "01", "volume": 3.5}]


@given(st.fixed_dictionaries({
    "client": st.fixed_dictionaries({"pseudoniem": st.from_regex(r"C-[0-9]{4}", fullmatch=True)}),
    "procedure": st.fixed_dictionaries({"melding": st.dates().map(str)}),
    "voorzieningen": st.lists(st.fixed_dictionaries({
        "productcategorie": st.sampled_from(["01", "02", "13"]),
        "volume": st.floats(0, 1000, allow_nan=False).map(lambda x: round(x, 2))}),
        min_size=1, max_size=3)}))
def test_voorstel_data_survives_the_form(data):
    """A voorstel read into the form (upload) and sent back gives the same data."""
    assert forms.parse(forms.flat(data)).data == {**data, "voorzieningen": data["voorzieningen"]}
