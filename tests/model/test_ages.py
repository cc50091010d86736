"""Ages on the peildatum: whole years, whole months (the AOW-leeftijd counts in years and
months), the oldest inwonende child, and how an age in months reads in Dutch."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st
from maatwerk.engine.model import dutch
from maatwerk.engine.model.fields import CATALOGUE, read
from maatwerk.engine.model.voorstel import Voorstel

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def _voorstel(born: dt.date, kinderen: list[dt.date] = ()) -> Voorstel:
    return Voorstel.model_validate({
        "wet": "wmo2015", "gemeente": "gm0344",
        "client": {"pseudoniem": "C-1", "geboortedatum": born.isoformat()},
        "huishouden": {"geboortedata_inwonende_kinderen": [k.isoformat() for k in kinderen]},
        "voorzieningen": [{"productcategorie": "01"}]})


def _field(path: str, voorstel: Voorstel, on: dt.date):
    return read(CATALOGUE[path], voorstel, None, on)


@given(DAYS, DAYS)
def test_months_and_years_agree(born, on):
    voorstel = _voorstel(min(born, on))
    on = max(born, on)
    months = _field("voorstel.client.leeftijd_maanden", voorstel, on)
    years = _field("voorstel.client.leeftijd", voorstel, on)
    assert months >= 0 and months // 12 == years


@given(DAYS, st.integers(0, 1500))
def test_a_month_is_added_on_the_monthly_birthday_and_not_a_day_before(born, months):
    """Counting whole months: the age reaches n months on the day it turns n months, never
    earlier (a birth on the 31st turns a month older on the last day of a shorter month,
    later than the 31st would be: the next day)."""
    voorstel = _voorstel(born)
    year, month = divmod(born.month - 1 + months, 12)
    try:
        day = born.replace(year=born.year + year, month=month + 1)
    except ValueError:
        return                                # no such day (31 April): nothing to pin down
    assert _field("voorstel.client.leeftijd_maanden", voorstel, day) == months
    if months:
        assert _field("voorstel.client.leeftijd_maanden", voorstel, day - dt.timedelta(days=1)) == months - 1


@given(st.lists(DAYS, min_size=1, max_size=5), DAYS)
def test_oldest_child_is_the_highest_age(kinderen, on):
    kinderen = [min(k, on) for k in kinderen]
    voorstel = _voorstel(dt.date(1950, 1, 1), kinderen)
    ages = [_field("voorstel.client.leeftijd", _voorstel(k), on) for k in kinderen]
    assert _field("voorstel.huishouden.oudste_inwonend_kind_leeftijd", voorstel, on) == max(ages)


def test_no_children_no_age():
    voorstel = _voorstel(dt.date(1950, 1, 1))
    assert _field("voorstel.huishouden.oudste_inwonend_kind_leeftijd", voorstel, dt.date(2026, 1, 1)) is None


@given(st.integers(0, 2000))
def test_an_age_in_months_reads_back_as_years_and_months(months):
    text = dutch.age_in_months(months)
    match = re.fullmatch(r"(\d+) jaar(?: en (\d+) (maand|maanden))?", text)
    assert match, text
    years, rest = int(match[1]), int(match[2] or 0)
    assert years * 12 + rest == months and rest < 12
    assert match[3] in (None, "maand" if rest == 1 else "maanden")
    assert dutch.value(months, dutch.MAANDEN) == text == dutch.quantity(months, dutch.MAANDEN)


def test_aow_examples():
    assert dutch.age_in_months(796) == "66 jaar en 4 maanden"
    assert dutch.age_in_months(804) == "67 jaar"
    assert dutch.age_in_months(793) == "66 jaar en 1 maand"
