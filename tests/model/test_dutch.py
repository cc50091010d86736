"""The presentation module: Dutch numbers, euro, units, counts, dates and times.

Babel's nl_NL patterns are the oracle (property tests); the examples of issue #14 are
spelled out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from maatwerk.engine.model import dutch

babel_numbers = pytest.importorskip("babel.numbers")
babel_dates = pytest.importorskip("babel.dates")

CENTS = st.integers(-10**11, 10**11).map(lambda c: Decimal(c).scaleb(-2))


@given(CENTS)
def test_numbers_match_babel_nl(value):
    assert dutch.number(value) == babel_numbers.format_decimal(value, format="#,##0.##",
                                                               locale="nl_NL")
    assert dutch.number(value, 2) == babel_numbers.format_decimal(value, format="#,##0.00",
                                                                  locale="nl_NL")


@given(CENTS.filter(lambda v: v >= 0))
def test_euro_matches_babel_nl(value):
    babel = babel_numbers.format_currency(value, "EUR", locale="nl_NL").replace("\xa0", " ")
    assert dutch.euro(value) == babel


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1),
                    timezones=st.just(dt.timezone.utc)))
def test_moments_match_babel_nl_in_amsterdam(moment):
    babel = babel_dates.format_datetime(moment, "d MMMM y HH:mm '('xxx')'",
                                        tzinfo="Europe/Amsterdam", locale="nl_NL")
    assert dutch.moment(moment) == babel
    assert dutch.moment(moment.isoformat().replace("+00:00", "Z")) == babel


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_dates_match_babel_nl(day):
    assert dutch.date(day) == babel_dates.format_date(day, "d MMMM y", locale="nl_NL")


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_shares_match_babel_nl(part, whole):
    expected = babel_numbers.format_percent(
        (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), rounding="ROUND_HALF_UP"),
        format="#,##0.0%", locale="nl_NL")
    assert dutch.share(part, whole) == expected


def test_rounding_is_half_up():
    assert dutch.euro(2.345) == "€ 2,35"     # binary 2.345 is just below; written 2.345
    assert dutch.euro(0.125) == "€ 0,13"
    assert dutch.number(2.5, 0) == "3"
    assert dutch.cents(20.005) == 20.01
    assert dutch.has_cents_only(20.39) and not dutch.has_cents_only(20.394)


def test_the_issue_examples():
    # show printed "waargenomen 34,5 · grens 31,8" without unit; impact "grens 20.99 → 22.4"
    assert dutch.quantity(34.5, "uur/jaar") == "34,5 uur/jaar"
    assert dutch.quantity(20.99, "EUR") == "€ 20,99"
    assert dutch.quantity(22.4, "EUR") == "€ 22,40"
    assert dutch.quantity(1600.0, "EUR") == "€ 1.600,00"
    assert dutch.number(21.0) == "21"                     # not "21.0"
    assert dutch.value(21.0, "EUR") == "€ 21,00"
    assert dutch.count(1, "besluit", "besluiten") == "1 besluit"     # not "1 besluiten"
    assert dutch.count(7, "besluit", "besluiten") == "7 besluiten"
    assert dutch.count(1200, "gebeurtenis", "gebeurtenissen") == "1.200 gebeurtenissen"
    assert dutch.hours(1) == "1 uur" and dutch.hours(3.5) == "3,5 uur"
    # times were UTC "Z"; now local with the offset, summer and winter
    assert dutch.moment("2026-03-01T09:30:00Z") == "1 maart 2026 10:30 (+01:00)"
    assert dutch.moment("2026-07-01T09:30:00Z") == "1 juli 2026 11:30 (+02:00)"
    assert dutch.moment_iso("2026-07-01T09:30:00Z") == "2026-07-01T11:30:00+02:00"
    assert dutch.choices(["zin", "pgb"]) == "zin of pgb"
    assert dutch.share(3, 7) == "42,9%" and dutch.share(0, 0) == "—"


def test_csv_numbers_use_a_decimal_comma_without_grouping():
    assert [dutch.csv_number(v) for v in (1234.5, 20.99, 7, None, 0.1, 1e-05)] == \
        ["1234,5", "20,99", "7", "", "0,1", "0,00001"]


@settings(max_examples=2000)
@given(st.one_of(st.floats(-1e15, 1e15), st.floats(-1, 1),
                 st.integers(-10**9, 10**9).map(lambda n: n / 100),
                 st.integers(-10**9, 10**9).map(lambda n: n / 1000)))
def test_cents_takes_the_short_way_only_when_nothing_rounds(value):
    """`cents` returns an amount of two decimals or fewer as it is (the engines call it for
    every euro value); the result is always that of rounding the written decimal half-up."""
    assert repr(dutch.cents(value)) == repr(float(dutch.half_up(value, 2)))
