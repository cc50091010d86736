"""Dutch presentation of values: one place for amounts, hours, counts, dates and times.

Every command, report and page formats values through these functions, so a number
reads the same everywhere: comma decimals and dot thousands (``1.234,5``), euro amounts
with two decimals rounded half-up (``€ 1.234,50``), a unit after every quantity
(``34,5 uur/jaar``), dates in words (``12 mei 2026``), times in Europe/Amsterdam with
their offset (``1 maart 2026 10:30 (+01:00)``), counts with singular or plural
(``1 besluit``, ``7 besluiten``). The formats equal Babel's ``nl_NL`` patterns (a
property test holds them equal); they are written out here so the engine needs no
locale data at run time.

All functions are pure (no clock, no environment, no locale setting). Machine formats
are separate: JSON keeps ISO 8601 and plain dots; ``csv_number`` writes the decimal
comma Dutch spreadsheets read.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
ZONE = ZoneInfo("Europe/Amsterdam")
CENT = Decimal("0.01")
MAANDEN = "maanden"        # the unit of an age counted in months (AOW-leeftijd)



def exact(value: float | int | Decimal) -> Decimal:
    """The decimal a number was written as (``0.1`` is 0.1, not its binary neighbour)."""
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float)
                                                             else str(value))


def half_up(value: float | int | Decimal, decimals: int = 2) -> Decimal:
    """Rounded half away from zero, as a Dutch reader rounds: 2.345 -> 2.35, 2.5 -> 3."""
    return exact(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def cents(value: float | int | Decimal) -> float:
    """A euro amount rounded half-up to whole cents, as the number the engines compare."""
    if type(value) is float:           # most amounts have two decimals or fewer already
        whole, _, fraction = repr(value).partition(".")
        if len(fraction) <= 2 and fraction.isdigit() and whole.lstrip("-").isdigit():
            return value
    return float(half_up(value, 2))


def has_cents_only(value: float | int | Decimal) -> bool:
    """True when an amount has at most two decimals (no fractions of a cent)."""
    d = exact(value)
    return d == d.quantize(CENT)


def number(value: float | int | Decimal, decimals: int | None = None) -> str:
    """1234.5 -> '1.234,5'. At most 2 decimals (half-up) and no trailing zeros unless
    `decimals` is given; whole numbers (int) keep no decimals."""
    if decimals is None:
        if isinstance(value, int) and not isinstance(value, bool):
            text = f"{value:,}"
        else:
            text = f"{half_up(value, 2):,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{half_up(value, decimals):,.{decimals}f}"
    text = "0" if text in ("-0", "") else text
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def euro(value: float | int | Decimal) -> str:
    """'€ 1.234,50': always two decimals, rounded half-up."""
    return f"€ {number(value, 2)}"


def age_in_months(months: float | int) -> str:
    """An age counted in months, as the AOW-leeftijd is: '66 jaar en 4 maanden', '67 jaar'."""
    years, rest = divmod(int(months), 12)
    if not rest:
        return f"{years} jaar"
    return f"{years} jaar en {rest} {'maand' if rest == 1 else 'maanden'}"


def quantity(value: float | int | Decimal, unit: str | None) -> str:
    """A number with its unit: '34,5 uur/jaar', '€ 20,99' for EUR, '12 dagen'; an age in
    months (unit 'maanden') in years and months."""
    if unit == "EUR":
        return euro(value)
    if unit == MAANDEN:
        return age_in_months(value)
    text = number(value)
    return f"{text} {unit}" if unit else text


def hours(value: float | int | Decimal) -> str:
    """'3,5 uur', '1 uur' (uur has no plural in an amount of time)."""
    return f"{number(value)} uur"


def count(n: int, singular: str, plural: str) -> str:
    """'1 besluit', '7 besluiten', '1.200 gebeurtenissen'."""
    return f"{number(n)} {singular if n == 1 else plural}"


def share(part: int | float, whole: int | float) -> str:
    """Part of whole as a percentage with one decimal: '42,9%'; '—' when whole is 0."""
    if not whole:
        return "—"
    return f"{number(Decimal(part) * 100 / Decimal(whole), 1)}%"


def csv_number(value: float | int | Decimal | None) -> str:
    """A number for a Dutch spreadsheet: decimal comma, no thousands separator, '' if None."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return format(exact(value).normalize(), "f").replace(".", ",")


def date(value: dt.date | str) -> str:
    """'12 mei 2026' (from a date or ISO text)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def local(value: dt.datetime | str) -> dt.datetime:
    """A moment (aware datetime or ISO 8601 text, 'Z' allowed) in Europe/Amsterdam."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(ZONE)


def moment(value: dt.datetime | str) -> str:
    """'1 maart 2026 10:30 (+01:00)': local time in Europe/Amsterdam with its offset."""
    t = local(value)
    offset = t.strftime("%z")
    return f"{date(t.date())} {t:%H:%M} ({offset[:3]}:{offset[3:]})"


def moment_iso(value: dt.datetime | str) -> str:
    """ISO 8601 in Europe/Amsterdam with offset: '2026-03-01T10:30:00+01:00'."""
    return local(value).isoformat(timespec="seconds")


def choices(items: list[str] | tuple[str, ...], word: str = "of") -> str:
    """'a', 'a of b', 'a, b of c' (or 'en' with word='en')."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def value(v: Any, unit: str | None = None, with_unit: bool = False) -> str:
    """A value for a message: euro with €, numbers with comma (and unit when asked),
    dates in words, lists as 'a, b of c', truth as ja/nee, missing as 'ontbreekt'."""
    if v is None:
        return "ontbreekt"
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, (int, float, Decimal)):
        if unit == "EUR":
            return euro(v)
        if unit == MAANDEN:
            return age_in_months(v)
        return quantity(v, unit) if with_unit else number(v)
    if isinstance(v, dt.date):
        return date(v)
    if isinstance(v, (list, tuple)):
        return choices([value(i) for i in v])
    return str(v)
