"""Dutch presentation of values: comma decimals, euro amounts, dates in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def number(value: float | int, decimals: int | None = None) -> str:
    """1234.5 -> '1.234,5'; at most 2 decimals unless asked, no trailing zeros."""
    if decimals is None:
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    else:
        text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def euro(value: float | int) -> str:
    return f"€ {number(float(value), 2)}"


def date(value: dt.date | str) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def value(v: Any, unit: str | None = None, with_unit: bool = False) -> str:
    """A value for a message: euro with €, numbers with comma, dates in words."""
    if v is None:
        return "ontbreekt"
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, (int, float)):
        if unit == "EUR":
            return euro(v)
        text = number(v)
        return f"{text} {unit}" if with_unit and unit else text
    if isinstance(v, dt.date):
        return date(v)
    if isinstance(v, (list, tuple)):
        items = [value(i) for i in v]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " of " + items[-1]
    return str(v)
