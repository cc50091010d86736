"""A draft parameter value: "this ruleset with parameter P set to V from day D", unwritten.

`with_parameter` turns an effective ruleset into the draft (a new content key, so no
cache mixes the two); `parse_value` reads V as typed by a person (Dutch decimal comma
allowed) into the parameter's own type.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from typing import Any, Callable

from ..errors import InputError
from ..rules.resolve import Effective


def with_parameter(name: str, waarde: Any, vanaf: dt.date) -> Callable[[Effective], Effective]:
    """The draft: parameter `name` has `waarde` from `vanaf` on; values that started on or
    after that day give way, earlier ones stay."""
    def draft(eff: Effective) -> Effective:
        param = eff.parameters.get(name)
        if param is None:
            raise InputError(f"onbekende parameter '{name}'", None, None,
                             "zie de parameters van de ruleset met `maatwerk ruleset show`")
        entries = [w for w in param.waarden if w.vanaf < vanaf]
        entry = param.waarden[0].model_copy(update={"vanaf": vanaf, "waarde": waarde,
                                                    "bron": "concept (niet vastgesteld)"})
        changed = param.model_copy(update={"waarden": entries + [entry]})
        key = hashlib.sha256(f"{eff.sha256}|{name}|{waarde!r}|{vanaf}".encode()).hexdigest()
        return replace(eff, parameters={**eff.parameters, name: changed}, sha256=key)
    return draft


def parse_value(eff: Effective, name: str, text: Any) -> Any:
    """A draft value as the type of the parameter's current values: text as a person types
    it, or (from JSON) a value that must already have that type."""
    param = eff.parameters.get(name)
    if param is None:
        raise InputError(f"onbekende parameter '{name}'", None, None,
                         "kies een parameter uit de ruleset, bijvoorbeeld hbh_basis_uren")
    current = param.waarden[-1].waarde
    if not isinstance(text, str):
        return _typed(name, current, text)
    if isinstance(current, bool):
        if text.lower() not in ("ja", "nee", "true", "false"):
            raise InputError(f"'{text}' is geen ja of nee", None, None, f"schrijf {name}=ja of {name}=nee")
        return text.lower() in ("ja", "true")
    if isinstance(current, (int, float)):
        return _number(name, text)
    if isinstance(current, list) and current and not isinstance(current[0], str):
        raise InputError(f"parameter '{name}' is een tabel; die kan hier niet als concept worden "
                         "gewijzigd", None, None, "wijzig de tabel in een conceptbestand en gebruik --ruleset")
    if isinstance(current, list):
        return [item.strip() for item in text.split(",") if item.strip()]
    return text


def _typed(name: str, current: Any, value: Any) -> Any:
    """A JSON value for a parameter, if it has the parameter's type."""
    if isinstance(current, bool):
        ok = isinstance(value, bool)
    elif isinstance(current, (int, float)):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15
    elif isinstance(current, list) and (not current or isinstance(current[0], str)):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = False
    if not ok:
        raise InputError(f"waarde {str(value)[:60]!r} past niet bij parameter '{name}'", None, None,
                         f"geef een waarde van hetzelfde soort als nu ({type(current).__name__})")
    return value


def _number(name: str, text: str) -> int | float:
    clean = text.strip().replace(".", "").replace(",", ".") if "," in text else text.strip()
    try:
        value = float(clean)
    except ValueError:
        raise InputError(f"'{text}' is geen getal", None, None, f"schrijf bijvoorbeeld {name}=21,80") from None
    if not abs(value) < 1e15:
        raise InputError(f"'{text}' is te groot", None, None, "kies een getal onder 10^15")
    return int(value) if value.is_integer() and "." not in clean and "e" not in clean.lower() else value
