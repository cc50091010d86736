"""Shared pydantic building blocks: strict models, ISO dates, bounded numbers and text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from .dutch import cents, has_cents_only

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        raise ValueError("verwacht een datum als JJJJ-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is geen bestaande datum") from None


def _cents(value: float) -> float:
    """Money is fixed to whole cents at the boundary: more precision is an input error."""
    if not has_cents_only(value):
        raise ValueError(f"bedrag {value!r} heeft meer dan twee decimalen (fracties van een cent); "
                         "geef het bedrag in hele centen, bijvoorbeeld "
                         f"{cents(value)!r}")
    return value


class Model(BaseModel):
    """Strict, immutable, no unknown fields, no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False,
                              str_strip_whitespace=True, validate_default=False, defer_build=True)


Datum = Annotated[dt.date, BeforeValidator(_iso_date)]
Bedrag = Annotated[float, Field(ge=0, le=10_000_000), AfterValidator(_cents)]
"""Euro, in whole cents: the decimal it was written as has at most two decimals, so the
engines compare exactly the amount a consulent reads (``dutch.euro``)."""
Aantal = Annotated[float, Field(ge=0, le=1_000_000)]
Tekst = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Naam = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Code2 = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
